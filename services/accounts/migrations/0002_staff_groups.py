"""Staff groups. Editors and Moderators come from Wagtail; the rest reach the admin and are
scoped by office membership in the modules that use them."""

from django.db import migrations

GROUPS = ["Office operators", "URP", "School master", "School user", "Regional validators", "Administrators"]
ADMIN_EXTRA = [("accounts", "add_user"), ("accounts", "change_user"), ("accounts", "view_user"), ("auth", "view_group"),
               ("auth", "change_group")]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(content_type=admin_type, codename="access_admin",
                                                       defaults={"name": "Can access Wagtail admin"})
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
    administrators = Group.objects.get(name="Administrators")
    for app_label, codename in ADMIN_EXTRA:
        ct_model = codename.split("_", 1)[1]
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=ct_model)
        perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": codename})
        administrators.permissions.add(perm)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("wagtailadmin", "0001_create_admin_access_permissions")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
