"""Administrators run the meal service registries; school staff see the day's counts."""

from django.db import migrations

GRANTS = {
    "Administrators": [(m, a) for m in ("child", "feeband", "calendarbreak") for a in ("view", "add", "change")],
    "School master": [("child", "view")],
    "School user": [("child", "view")],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, action in perms:
            ct, _ = ContentType.objects.get_or_create(app_label="meals", model=model)
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"})
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("meals", "0002_calendar_children_changes"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
