"""The first version of every procedure; existing cases follow theirs from the stage their status
says; procedure versions and outcomes are append-only in the database too."""

from django.db import migrations
from django.utils import timezone

from torelik.kernel.appendonly import append_only_trigger


def seed(apps, schema_editor):
    from torelik.cases.procedures import DEFINITIONS
    from torelik.cases.procedure_choice import choose

    ProcedureVersion = apps.get_model("cases", "ProcedureVersion")
    Case = apps.get_model("cases", "Case")
    now = timezone.now()
    versions = {}
    for definition in DEFINITIONS:
        version, _ = ProcedureVersion.objects.get_or_create(
            code=definition["code"],
            version=1,
            defaults={"definition": definition, "reason": "First version", "created_at": now},
        )
        versions[definition["code"]] = version
    stage_of = {"awaiting_distribution": "registered", "assigned": "assigned", "closed": "archived"}
    for case in Case.objects.select_related("category").iterator():
        code = choose(
            [(d["code"], d.get("applies_to") or {}) for d in DEFINITIONS],
            kind=case.category.kind,
            instance=case.category.instance,
            category=case.category.code,
        )
        Case.objects.filter(pk=case.pk).update(
            procedure=versions[code] if code else None,
            stage=stage_of.get(case.status, "registered"),
            stage_since=case.registered_at,
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_procedure_stages"), ("courts", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        append_only_trigger("cases_procedureversion"),
        append_only_trigger("cases_caseoutcome"),
    ]
