"""Administrators read payments and the reconciliation report."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Administrators")
    for model in ("paymentposition", "reconciliationissue"):
        ct, _ = ContentType.objects.get_or_create(app_label="payments", model=model)
        perm, _ = Permission.objects.get_or_create(content_type=ct, codename=f"view_{model}", defaults={"name": f"Can view {model}"})
        group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_paymentsettings_reconciliationissue"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
