"""Administrators run routes and fee plans; office operators and administrators see the enrollments."""

from django.db import migrations

from services.core.permissions import grant

GRANTS = {
    "Administrators": [(m, f"{a}_{m}") for m in ("route", "feeplan") for a in ("view", "add", "change")]
    + [("transportenrollment", "view_transportenrollment")],
    "Office operators": [("transportenrollment", "view_transportenrollment"), ("route", "view_route")],
}


class Migration(migrations.Migration):
    dependencies = [("transport", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "transport", GRANTS), migrations.RunPython.noop)]
