"""Who works the protocol queue: the offices' operators see the registrations, send a failed one again and type the
number of one registered by hand; Administrators also set where documents go (the protocol profiles)."""

from django.db import migrations

from services.core.permissions import grant

QUEUE = [("registration", "view_registration"), ("registration", "change_registration")]
PROFILES = [("profile", f"{action}_profile") for action in ("add", "change", "delete", "view")]
GRANTS = {"Office operators": QUEUE, "Administrators": QUEUE + PROFILES}


class Migration(migrations.Migration):
    dependencies = [("protocol", "0002_profiles"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "protocol", GRANTS), migrations.RunPython.noop)]
