"""The access audit is append-only in the database too (trigger refusing UPDATE and DELETE)."""

from django.db import migrations

from torelik.kernel.appendonly import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("kernel", "0002_mci_rates_and_day_off_transfers")]

    operations = [append_only_trigger("kernel_accessaudit")]
