"""Who builds procedures: the offices' operators and the editors compose, try and submit them for moderation; the
moderators and the Administrators publish them (directly or by approving the workflow's task)."""

from django.db import migrations

from services.core.permissions import grant

COMPOSE = [("builtprocedure", "add_builtprocedure"), ("builtprocedure", "change_builtprocedure"),
           ("builtprocedure", "view_builtprocedure")]
PUBLISH = COMPOSE + [("builtprocedure", "publish_builtprocedure"), ("builtprocedure", "lock_builtprocedure")]
GRANTS = {"Office operators": COMPOSE, "Editors": COMPOSE, "Moderators": PUBLISH,
          "Administrators": PUBLISH + [("builtprocedure", "delete_builtprocedure"), ("builtprocedure", "unlock_builtprocedure")]}


class Migration(migrations.Migration):
    dependencies = [("builder", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "builder", GRANTS), migrations.RunPython.noop)]
