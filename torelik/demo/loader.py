"""Demo data: a realistic country of courts and judges, the test PKI and one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from torelik.courts.demo import generate_country
from torelik.courts.models import Court, Judge
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


def load_demo(*, pki_dir: Path | None = None) -> DemoSummary:
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
                    judge = Judge.objects.filter(court=court, user__isnull=True).order_by("id").first()
                    if judge is not None and not Judge.objects.filter(user=user).exists():
                        judge.user = user
                        judge.save(update_fields=["user"])
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
    return DemoSummary(
        courts=Court.objects.count(), judges=Judge.objects.count(), users=names, pki_dir=pki.directory
    )
