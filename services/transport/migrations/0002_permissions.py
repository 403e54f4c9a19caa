"""Administrators run routes and fee plans; office operators and administrators see the enrollments."""

from django.db import migrations

GRANTS = {
    "Administrators": [(m, f"{a}_{m}") for m in ("route", "feeplan") for a in ("view", "add", "change")]
    + [("transportenrollment", "view_transportenrollment")],
    "Office operators": [("transportenrollment", "view_transportenrollment"), ("route", "view_route")],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, codename in perms:
            ct, _ = ContentType.objects.get_or_create(app_label="transport", model=model)
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": codename})
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("transport", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
