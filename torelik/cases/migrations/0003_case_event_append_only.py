"""The case history is append-only in the database too: UPDATE and DELETE are refused by a trigger."""

from django.db import migrations

from torelik.kernel.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        append_only_trigger("cases_caseevent")
    ]
