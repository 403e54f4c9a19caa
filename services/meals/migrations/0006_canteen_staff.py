"""Canteen staff see the day's counts, record absences and read the diet sheets; school staff record
absences; administrators also read medical diets."""

from django.db import migrations

GRANTS = {
    "Canteen staff": [("child", "view_child"), ("mealchange", "add_mealchange"), ("child", "view_medical_diet")],
    "School master": [("mealchange", "add_mealchange")],
    "School user": [("mealchange", "add_mealchange")],
    "Administrators": [("mealchange", "add_mealchange"), ("child", "view_medical_diet")],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(content_type=admin_type, codename="access_admin",
                                                       defaults={"name": "Can access Wagtail admin"})
    Group.objects.get_or_create(name="Canteen staff")[0].permissions.add(access_admin)
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, codename in perms:
            ct, _ = ContentType.objects.get_or_create(app_label="meals", model=model)
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": codename})
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("meals", "0005_enrollment"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
