"""Who reads the access register: the Administrators (and the superusers)."""

from django.db import migrations

from services.core.permissions import grant

GRANTS = {"Administrators": [("consultation", "view_consultation")]}


class Migration(migrations.Migration):
    dependencies = [("pdnd", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "pdnd", GRANTS), migrations.RunPython.noop)]
