"""School staff no longer hold global permissions on the children and their meals: the Area scuola gives each of them
their own school, by function (services/schools). Canteen staff and administrators keep theirs."""

from django.db import migrations

SCHOOL_GROUPS = ["School master", "School user"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=SCHOOL_GROUPS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="meals"))


class Migration(migrations.Migration):
    dependencies = [("meals", "0010_health_reads_for_administrators")]
    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
