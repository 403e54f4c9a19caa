"""The school registry moved to services/schools: the foreign keys point to the same table, now named
schools_school (state only, no change in the database)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meals", "0006_canteen_staff"), ("schools", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("child", "school", models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="meal_children", to="schools.school", verbose_name="scuola")),
            migrations.AlterField("calendarbreak", "school", models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to="schools.school", verbose_name="solo per la scuola")),
        ]),
    ]
