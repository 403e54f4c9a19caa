"""Administrators and office operators write to the families and see the delivery log."""

from django.db import migrations

from services.core.permissions import grant

PERMS = [("broadcast", "add_broadcast"), ("broadcast", "view_broadcast")]
GRANTS = {"Administrators": PERMS, "Office operators": PERMS}


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "notifications", GRANTS), migrations.RunPython.noop)]
