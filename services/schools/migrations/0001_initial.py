"""The school registry moves out of OEPAC with its data: the tables are renamed (oepac_school → schools_school,
oepac_ambito → schools_ambito), every foreign key keeps pointing at the same rows, and the content types move
with their permissions, group grants and search index entries (docs/decisions/0009)."""

import django.db.models.deletion
import wagtail.search.index
from django.db import migrations, models

MOVED = ("school", "ambito")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label="oepac", model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates schools' content types
        new = ContentType.objects.filter(app_label="schools", model=model).first()
        if new is not None:  # created by an earlier run of post_migrate: keep the one that rows point to
            apps.get_model("auth", "Permission").objects.filter(content_type=new).delete()
            new.delete()
        old.app_label = "schools"
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="schools", model__in=MOVED).update(app_label="oepac")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_verification"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("oepac", "0001_initial"),
        ("istanze", "0003_office_permissions"),  # grants oepac's school permissions: they move with the content type
        # Every migration whose state still names oepac's tables runs before they are renamed.
        ("meals", "0006_canteen_staff"),
        ("transport", "0002_permissions"),
        ("notifications", "0002_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL("ALTER TABLE oepac_ambito RENAME TO schools_ambito", "ALTER TABLE schools_ambito RENAME TO oepac_ambito"),
                migrations.RunSQL("ALTER TABLE oepac_school RENAME TO schools_school", "ALTER TABLE schools_school RENAME TO oepac_school"),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="Ambito",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="nome")),
                        ("office", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="ambiti",
                                                     to="accounts.office", verbose_name="municipio")),
                    ],
                    options={"verbose_name": "ambito territoriale", "verbose_name_plural": "ambiti territoriali",
                             "ordering": ["office__name", "name"]},
                ),
                migrations.CreateModel(
                    name="School",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=10, unique=True, verbose_name="codice meccanografico")),
                        ("name", models.CharField(max_length=200, verbose_name="denominazione")),
                        ("order", models.CharField(choices=[("infanzia", "Scuola dell'infanzia"), ("primaria", "Scuola primaria"),
                                                            ("secondaria_1", "Scuola secondaria di primo grado"),
                                                            ("secondaria_2", "Scuola secondaria di secondo grado")],
                                                   max_length=20, verbose_name="ordine")),
                        ("address", models.CharField(blank=True, max_length=200, verbose_name="indirizzo")),
                        ("active", models.BooleanField(default=True, verbose_name="attiva")),
                        ("ambito", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="schools",
                                                     to="schools.ambito", verbose_name="ambito")),
                    ],
                    options={"verbose_name": "scuola", "verbose_name_plural": "scuole", "ordering": ["name"]},
                    bases=(wagtail.search.index.Indexed, models.Model),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
