"""Administrators, accountable for health data, read the register of medical-diet reads; nobody else does."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="meals", model="healthdataread")
    perm, _ = Permission.objects.get_or_create(content_type=ct, codename="view_healthdataread",
                                               defaults={"name": "Can view lettura di dati sanitari"})
    Group.objects.get_or_create(name="Administrators")[0].permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("meals", "0009_health_reads_named"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
