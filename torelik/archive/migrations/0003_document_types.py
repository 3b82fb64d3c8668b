"""Seeds the classification of document types of the electronic case file.

The rows and their notes (retention periods are starting values to be confirmed) are in
torelik/archive/document_types.py. Only missing rows are added: administrators' edits are kept.
"""

from django.db import migrations

from torelik.archive.document_types import DOCUMENT_TYPES, seed_document_types


def seed(apps, schema_editor):
    seed_document_types(apps.get_model("archive", "DocumentType"))


def unseed(apps, schema_editor):
    apps.get_model("archive", "DocumentType").objects.filter(code__in=[row[0] for row in DOCUMENT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_electronic_file"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
