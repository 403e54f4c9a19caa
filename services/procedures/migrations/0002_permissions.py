"""Administrators and regional validators keep the 0-3 survey registry."""

from django.db import migrations

GROUPS = ["Administrators", "Regional validators"]
PERMS = [(m, f"{a}_{m}") for m in ("surveycomune", "earlyyearsservice") for a in ("view", "add", "change")]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        for model, codename in PERMS:
            ct, _ = ContentType.objects.get_or_create(app_label="procedures", model=model)
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": codename})
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
