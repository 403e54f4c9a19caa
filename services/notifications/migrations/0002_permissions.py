"""Administrators and office operators write to the families and see the delivery log."""

from django.db import migrations

GROUPS = ["Administrators", "Office operators"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="notifications", model="broadcast")
    perms = [Permission.objects.get_or_create(content_type=ct, codename=c, defaults={"name": c})[0] for c in ("add_broadcast", "view_broadcast")]
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
