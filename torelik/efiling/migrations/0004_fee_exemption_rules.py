"""Which exemption from the state fee applies to which case category (Tax Code 2026).

Exemptions that follow from the claim itself apply at once; those that depend on the filer's
circumstances wait for the court's decision. The court office edits the rows in the admin.
"""

from django.db import migrations

REFERENCE = "Tax Code of the RK (2026): exemptions from the state fee in courts"
# exemption, category code ("" = every category), the court decides
ROWS = [
    ("alimony", "civ.alimony", False),
    ("labour", "civ.labour", False),
    ("labour", "civ.reinstatement", False),
    ("damage_to_health", "civ.property", True),
    ("disability", "", True),
    ("other", "", True),
]


def load(apps, schema_editor):
    rule = apps.get_model("efiling", "FeeExemptionRule")
    for exemption, category_code, decides in ROWS:
        rule.objects.get_or_create(
            exemption=exemption,
            category_code=category_code,
            defaults={"needs_court_decision": decides, "legal_reference": REFERENCE},
        )


class Migration(migrations.Migration):
    dependencies = [("efiling", "0003_fee_relief")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
