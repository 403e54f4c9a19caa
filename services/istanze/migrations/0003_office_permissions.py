"""Office operators and Administrators work applications (scoped to their offices in the views);
Administrators also edit the OEPAC registries."""

from django.db import migrations

GRANTS = {
    "Office operators": [("istanze", "istanza", "view"), ("istanze", "istanza", "change"),
                         ("istanze", "procedurerating", "view")],
    "Administrators": [("istanze", "istanza", "view"), ("istanze", "istanza", "change"),
                       ("istanze", "procedurerating", "view"),
                       ("oepac", "school", "view"), ("oepac", "school", "add"), ("oepac", "school", "change"),
                       ("oepac", "organisation", "view"), ("oepac", "organisation", "add"), ("oepac", "organisation", "change"),
                       ("oepac", "ambito", "view"), ("oepac", "ambito", "add"), ("oepac", "ambito", "change")],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, action in perms:
            ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("istanze", "0002_wizard_attachments_ratings"), ("oepac", "0001_initial"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
