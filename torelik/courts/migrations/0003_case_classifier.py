"""Seeds the unified classifier of case categories and the judges' specialisations.

The data and its notes (number codes are not published and configurable, weights are a
starting point) are in torelik/courts/classifier.py, shared with the demo generator, which
restores missing rows. Only missing rows are added: administrators' edits are kept.
"""

from django.db import migrations

from torelik.courts.classifier import CATEGORIES, SPECIALISATIONS, seed_classifier


def seed(apps, schema_editor):
    seed_classifier(apps.get_model("courts", "CaseCategory"), apps.get_model("courts", "Specialisation"))


def unseed(apps, schema_editor):
    CaseCategory = apps.get_model("courts", "CaseCategory")
    Specialisation = apps.get_model("courts", "Specialisation")
    codes = [row[0] for row in CATEGORIES]
    # Children first: `parent` is protected.
    CaseCategory.objects.filter(code__in=codes, parent__isnull=False).delete()
    CaseCategory.objects.filter(code__in=codes).delete()
    Specialisation.objects.filter(code__in=[row[0] for row in SPECIALISATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courts", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
