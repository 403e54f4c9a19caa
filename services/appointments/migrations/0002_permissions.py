"""Office operators keep their offices' agenda and calendars; Administrators all of them."""

from django.db import migrations

from services.core.permissions import grant

CALENDARS = [(model, f"{action}_{model}") for model in ("appointmenttype", "openingblock", "closure")
             for action in ("add", "change", "delete", "view")]
AGENDA = [("appointment", "manage_agenda"), ("appointment", "view_appointment")]
GRANTS = {"Office operators": AGENDA + CALENDARS, "URP": AGENDA, "Administrators": AGENDA + CALENDARS}


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "appointments", GRANTS), migrations.RunPython.noop)]
