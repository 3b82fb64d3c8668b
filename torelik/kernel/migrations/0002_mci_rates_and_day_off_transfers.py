"""Reference data: MCI by year and the day-off transfers declared by the government.

Rows are only added when missing, so values corrected in the admin survive a re-run.
"""

from datetime import date

from django.db import migrations

MCI_TENGE = {
    2023: (3450, "Law of the RK on the republican budget for 2023-2025"),
    2024: (3692, "Law of the RK on the republican budget for 2024-2026"),
    2025: (3932, "Law of the RK on the republican budget for 2025-2027"),
    2026: (4325, "Law of the RK on the republican budget for 2026-2028"),
}

# (worked day, day off). Only transfers confirmed from the government's decrees; the holidays
# package lists the same day offs, but not the weekend days worked in their place.
DAY_OFF_TRANSFERS = [
    (date(2024, 5, 4), date(2024, 5, 8),
     "Government decree on the transfer of days off in 2024 (adilet.zan.kz G24G0000109)"),
    (date(2025, 1, 5), date(2025, 1, 3),
     "Government decree on the transfer of days off in 2025 (adilet.zan.kz G24G0000436)"),
]


def load(apps, schema_editor):
    MciRate = apps.get_model("kernel", "MciRate")
    DayOffTransfer = apps.get_model("kernel", "DayOffTransfer")
    for year, (tenge, reference) in MCI_TENGE.items():
        MciRate.objects.get_or_create(year=year, defaults={"amount_tiyn": tenge * 100,
                                                           "legal_reference": reference})
    for working_day, day_off, reference in DAY_OFF_TRANSFERS:
        if not DayOffTransfer.objects.filter(working_day=working_day).exists() and \
                not DayOffTransfer.objects.filter(day_off=day_off).exists():
            DayOffTransfer.objects.create(working_day=working_day, day_off=day_off, legal_reference=reference)


def unload(apps, schema_editor):
    MciRate = apps.get_model("kernel", "MciRate")
    DayOffTransfer = apps.get_model("kernel", "DayOffTransfer")
    MciRate.objects.filter(year__in=list(MCI_TENGE)).delete()
    DayOffTransfer.objects.filter(working_day__in=[w for w, _, _ in DAY_OFF_TRANSFERS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("kernel", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
