"""Demo data of the acts app: one signed decision on a case of the demo court, if there is one."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from torelik.acts import selectors
from torelik.acts.models import ActStatus, JudicialAct
from torelik.identity.models import User

log = logging.getLogger(__name__)

DEMO_COURT_CODE = "7140"
DEMO_JUDGE_USERNAME = "judge"


def load_demo_acts() -> JudicialAct | None:
    """Sign one decision (Kazakh) on the oldest case of the demo court with the demo judge's key.

    Idempotent: nothing is done when the demo court already has a signed act, or when there is
    no case, no demo judge or no demo key. The key is the demo PKCS#12 in PKI_DIR, used as the
    judge's NCALayer would use it; a local TSA answers for the time of the call.
    """
    from torelik.acts import services
    from torelik.acts.testing import sign_as_ncalayer
    from torelik.signatures import conf
    from torelik.signatures.demo_identities import DEMO_P12_PASSWORD, demo_identity
    from torelik.signatures.signing import load_p12
    from torelik.signatures.testca import ensure_demo_pki
    from torelik.signatures.tsa import start_tsa_in_thread

    if JudicialAct.objects.filter(case__court__code=DEMO_COURT_CODE, status=ActStatus.SIGNED).exists():
        return None
    user = get_user_model().objects.filter(username=DEMO_JUDGE_USERNAME).first()
    judge = selectors.judge_of(user=user) if isinstance(user, User) else None
    case = (
        selectors.cases_for_judge(judge=judge).order_by("registered_at", "id").first()
        if judge is not None
        else None
    )
    if not isinstance(user, User) or case is None:
        log.info("acts demo: no demo judge or no case in court %s; nothing signed", DEMO_COURT_CODE)
        return None
    pki = ensure_demo_pki(conf.pki_dir())
    key = load_p12(pki.directory / demo_identity("judge").p12_filename, DEMO_P12_PASSWORD)
    act = JudicialAct.objects.filter(case=case, status=ActStatus.DRAFT, created_by=user).first()
    if act is None:
        act = services.create_draft(case=case, user=user, kind="decision", language="kk")
    url, stop = start_tsa_in_thread(pki)
    try:
        return sign_as_ncalayer(act=act, user=user, key=key, tsa_url=url)
    finally:
        stop()
