"""Demo data: a realistic country of courts and judges, the test PKI, one user per role and the
living demo (`torelik.demo.living`): cases at every stage, made by running the services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from torelik.acts.demo import load_demo_acts
from torelik.courts.demo import generate_country
from torelik.courts.models import CaseKind, Court, Judge
from torelik.demo.living import DEFAULT_SIZE as LIVING_DEMO_SIZE
from torelik.demo.living import LivingDemo, load_living_demo
from torelik.distribution.demo import load_demo_distribution
from torelik.identity.models import Role, User
from torelik.identity.services import create_filer_user, create_staff_user
from torelik.kernel.config import pki_dir as default_pki_dir
from torelik.signatures.demo_identities import DEMO_IDENTITIES
from torelik.signatures.testca import ensure_demo_pki, install_demo_trust

DEMO_COURT_CODE = "7140"
# Fixed so the README can list them; a real installation enrols staff one by one.
STAFF_PASSWORD = "demo-staff-2026"
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FILER_ROLES = {
    "citizen": Role.CITIZEN,
    "entity": Role.ENTITY,
    "lawyer": Role.LAWYER,
    "prosecutor": Role.PROSECUTOR,
}


@dataclass(frozen=True)
class DemoSummary:
    courts: int
    judges: int
    users: list[str]
    pki_dir: Path
    living: LivingDemo | None = None


def _link_demo_judge(*, user: User, court: Court, iin: str) -> None:
    """The demo judge's account sits on a civil bench of the demo court, so filed claims can reach it.

    The judge's IIN becomes the one in `judge.p12`, so the demo key signs as that judge.
    """
    if Judge.objects.filter(user=user).exists():
        return
    judge = (
        Judge.objects.filter(court=court, user__isnull=True, specialisations__kind=CaseKind.CIVIL)
        .order_by("id")
        .first()
    )
    if judge is None:
        return
    if Judge.objects.filter(iin=iin).exclude(pk=judge.pk).exists():
        return  # a generated judge already has that IIN: keep the register unique
    judge.user = user
    judge.iin = iin
    judge.save(update_fields=["user", "iin"])


def load_demo(*, pki_dir: Path | None = None, living_size: int = LIVING_DEMO_SIZE) -> DemoSummary:
    """The demo country, keys and users, then (once, on a database without cases) the living demo
    of `living_size` planned cases; 0 makes none."""
    if not Court.objects.exists():
        generate_country()
    pki = ensure_demo_pki(pki_dir or default_pki_dir())
    with transaction.atomic():
        install_demo_trust(pki)
        court = Court.objects.get(code=DEMO_COURT_CODE)
        names: list[str] = []
        for ident in DEMO_IDENTITIES:
            if ident.key in FILER_ROLES:
                user = User.objects.filter(iin=ident.iin, bin=ident.bin).first() or create_filer_user(
                    iin=ident.iin,
                    bin=ident.bin,
                    role=FILER_ROLES[ident.key],
                    full_name=ident.full_name,
                    organisation=ident.organisation,
                )
                names.append(user.username)
            elif ident.key in ("clerk", "judge"):
                user = User.objects.filter(username=ident.key).first() or create_staff_user(
                    username=ident.key,
                    password=STAFF_PASSWORD,
                    role=Role.CLERK if ident.key == "clerk" else Role.JUDGE,
                    court=court,
                    full_name=ident.full_name,
                    totp_secret=STAFF_TOTP_SECRET,
                    iin=ident.iin,
                )
                if ident.key == "judge":
                    _link_demo_judge(user=user, court=court, iin=ident.iin)
                names.append(user.username)
        if not User.objects.filter(username="admin").exists():
            admin = create_staff_user(
                username="admin",
                password=STAFF_PASSWORD,
                role=Role.ADMIN,
                court=court,
                full_name="Administrator",
                totp_secret=STAFF_TOTP_SECRET,
            )
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        names.append("admin")
        # The chair of the demo court records absences, recusals and exceptions; the auditor reads
        # the distribution of every court, so holds none.
        for username, role, of_court, full_name in (
            ("chair", Role.CHAIR, court, "Court chair"),
            ("auditor", Role.AUDITOR, None, "Auditor"),
        ):
            if not User.objects.filter(username=username).exists():
                create_staff_user(
                    username=username,
                    password=STAFF_PASSWORD,
                    role=role,
                    court=of_court,
                    full_name=full_name,
                    totp_secret=STAFF_TOTP_SECRET,
                )
            names.append(username)
    # After the users: the history needs the judges, the demo judge and the filers.
    living = (
        load_living_demo(
            pki=pki, staff_password=STAFF_PASSWORD, totp_secret=STAFF_TOTP_SECRET, size=living_size
        )
        if living_size
        else None
    )
    load_demo_distribution()
    load_demo_acts()  # without a living demo, one signed act on a case of the demo judge, if any
    return DemoSummary(
        courts=Court.objects.count(),
        judges=Judge.objects.count(),
        users=names,
        pki_dir=pki.directory,
        living=living,
    )
