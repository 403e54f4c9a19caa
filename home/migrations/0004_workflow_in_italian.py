"""Wagtail's default workflow and its task are named after the group in English ("Moderators approval"),
and the editor's button then reads "Invia a Moderators approval": the Italian name instead."""

from django.db import migrations

OLD, NEW = "Moderators approval", "Approvazione della redazione"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=OLD).update(name=NEW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NEW).update(name=OLD)
    apps.get_model("wagtailcore", "Task").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("home", "0003_fill_service_catalogue"), ("wagtailcore", "0048_add_default_workflows")]
    operations = [migrations.RunPython(rename, rename_back)]
