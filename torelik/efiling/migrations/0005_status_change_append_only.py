"""A filing's status history is append-only in the database too (trigger refusing UPDATE and DELETE)."""

from django.db import migrations

from torelik.kernel.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("efiling", "0004_fee_exemption_rules")]

    operations = [
        append_only_trigger("efiling_submissionstatuschange")
    ]
