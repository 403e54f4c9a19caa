"""Broadcasts no longer point to a school or a bus route: the audience's registered filters are kept as
{"school": pk, "route": pk} with the text they read as, so notifications knows no domain app."""

from django.db import migrations, models


def copy_filters(apps, schema_editor):
    Broadcast = apps.get_model("notifications", "Broadcast")
    School = apps.get_model("schools", "School")
    Route = apps.get_model("transport", "Route")
    for broadcast in Broadcast.objects.filter(models.Q(school__isnull=False) | models.Q(route__isnull=False)):
        filters, text = {}, []
        if broadcast.school_id:
            filters["school"] = broadcast.school_id
            school = School.objects.filter(pk=broadcast.school_id).first()
            text.append(f"{school.name} ({school.code})" if school else "")
        if broadcast.route_id:
            filters["route"] = broadcast.route_id
            route = Route.objects.filter(pk=broadcast.route_id).first()
            text.append(f"{route.code} · {route.name}" if route else "")
        broadcast.filters = filters
        broadcast.filters_text = " · ".join(t for t in text if t)[:300]
        broadcast.save(update_fields=["filters", "filters_text"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_permissions"), ("schools", "0001_initial"), ("transport", "0003_school_registry_moved")]

    operations = [
        migrations.AddField("broadcast", "filters", models.JSONField(blank=True, default=dict, verbose_name="filtri")),
        migrations.AddField("broadcast", "filters_text", models.CharField(blank=True, max_length=300, verbose_name="solo per")),
        # The old foreign key still names the oepac model in the state: point it at the moved one first.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("broadcast", "school", models.ForeignKey(
                blank=True, null=True, on_delete=models.PROTECT, related_name="+", to="schools.school", verbose_name="scuola")),
        ]),
        migrations.RunPython(copy_filters, migrations.RunPython.noop),
        migrations.RemoveField("broadcast", "school"),
        migrations.RemoveField("broadcast", "route"),
    ]
