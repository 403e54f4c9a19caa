"""The URP and the offices' operators work the requests of their offices; the URP keeps the canned replies and the
response times and sees the statistics; Administrators all of it."""

from django.db import migrations

from services.core.permissions import grant

DESK = [("assistancerequest", "view_assistancerequest"), ("assistancerequest", "answer_assistancerequest")]
SETTINGS = [(model, f"{action}_{model}") for model in ("cannedreply", "responsetarget") for action in ("add", "change", "delete", "view")]
STATS = [("assistancerequest", "view_assistance_stats")]
GRANTS = {"URP": DESK + SETTINGS + STATS, "Office operators": DESK, "Administrators": DESK + SETTINGS + STATS}


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "assistance", GRANTS, admin_access=("URP",)),
                                       migrations.RunPython.noop)]
