"""State fee rules in force from 2026-01-01 (new Tax Code, art. 665).

Figures not confirmed from the Code's text carry is_confirmed=False; the filer sees that in the
fee explanation and the court office can correct the row in the admin.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

VALID_FROM = date(2026, 1, 1)
REFERENCE = "Tax Code of the RK (2026), art. 665"
IND = "individual"
LEG = "legal_entity"
ADMINISTRATIVE_CATEGORIES = ("adm.state_body", "adm.tax", "adm.land")


def _row(submission_type, person_kind, basis, rate, *, claim_kind="", category_code="", cap_mci=None,
         share_percent=100, is_confirmed=True):
    return {
        "submission_type": submission_type,
        "person_kind": person_kind,
        "category_code": category_code,
        "claim_kind": claim_kind,
        "basis": basis,
        "rate": Decimal(str(rate)),
        "share_percent": Decimal(str(share_percent)),
        "cap_mci": Decimal(str(cap_mci)) if cap_mci is not None else None,
        "is_confirmed": is_confirmed,
    }


def _first_instance_claim(submission_type, *, share_percent=100, confirmed=True):
    """Rows of a civil claim; appeal and cassation reuse them at a share (confirm)."""
    pct, mci = "percent_of_claim", "mci_multiple"
    return [
        _row(submission_type, IND, pct, 1, claim_kind="property", cap_mci=10000,
             share_percent=share_percent, is_confirmed=confirmed),
        _row(submission_type, LEG, pct, 3, claim_kind="property", cap_mci=20000,
             share_percent=share_percent, is_confirmed=confirmed),
        # Non-property claims: 0.5 / 5 MCI (confirm).
        _row(submission_type, IND, mci, "0.5", claim_kind="non_property",
             share_percent=share_percent, is_confirmed=False),
        _row(submission_type, LEG, mci, 5, claim_kind="non_property",
             share_percent=share_percent, is_confirmed=False),
        _row(submission_type, IND, mci, "0.3", claim_kind="non_property", category_code="civ.divorce",
             share_percent=share_percent, is_confirmed=confirmed),
    ]


def _administrative(submission_type, *, category_code="", share_percent=100, confirmed=True):
    return [
        _row(submission_type, IND, "mci_multiple", "0.3", category_code=category_code,
             share_percent=share_percent, is_confirmed=confirmed),
        _row(submission_type, LEG, "mci_multiple", 5, category_code=category_code,
             share_percent=share_percent, is_confirmed=confirmed),
    ]


def rules():
    rows = []
    rows += _first_instance_claim("claim")
    rows += _administrative("administrative_claim")
    # Court order: 50 % of the property-claim rate (confirm).
    for kind, rate, cap in ((IND, 1, 10000), (LEG, 3, 20000)):
        rows.append(_row("court_order", kind, "percent_of_claim", rate, cap_mci=cap, share_percent=50,
                         is_confirmed=False))
    # Appeal and cassation: 50 % of the first-instance fee (confirm).
    for stage in ("appeal", "cassation"):
        rows += _first_instance_claim(stage, share_percent=50, confirmed=False)
        for category in ADMINISTRATIVE_CATEGORIES:
            rows += _administrative(stage, category_code=category, share_percent=50, confirmed=False)
    # Special proceedings: 0.5 MCI (confirm).
    for kind in (IND, LEG):
        rows.append(_row("special_proceedings", kind, "mci_multiple", "0.5", is_confirmed=False))
    # Filings without a fee. Not listed in the reference material: unconfirmed until checked.
    for submission_type in ("private_prosecution", "simplified_cancellation", "fee_refund",
                            "hearing_postponement", "security_cancellation", "petition", "convict_meeting"):
        for kind in (IND, LEG):
            rows.append(_row(submission_type, kind, "none", 0, is_confirmed=False))
    return rows


def _key(row):
    return {k: row[k] for k in ("submission_type", "person_kind", "category_code", "claim_kind")}


def load(apps, schema_editor):
    FeeRule = apps.get_model("efiling", "FeeRule")
    for row in rules():
        if not FeeRule.objects.filter(**_key(row), valid_from=VALID_FROM).exists():
            FeeRule.objects.create(**row, valid_from=VALID_FROM, legal_reference=REFERENCE)


def unload(apps, schema_editor):
    FeeRule = apps.get_model("efiling", "FeeRule")
    for row in rules():
        FeeRule.objects.filter(**_key(row), valid_from=VALID_FROM, legal_reference=REFERENCE).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("efiling", "0001_initial"),
        ("kernel", "0002_mci_rates_and_day_off_transfers"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
