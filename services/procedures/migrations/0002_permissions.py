"""Administrators and regional validators keep the 0-3 survey registry."""

from django.db import migrations

from services.core.permissions import grant

PERMS = [(m, f"{a}_{m}") for m in ("surveycomune", "earlyyearsservice") for a in ("view", "add", "change")]
GRANTS = {"Administrators": PERMS, "Regional validators": PERMS}


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "procedures", GRANTS), migrations.RunPython.noop)]
