"""The school registry moved to services/schools (state only: the table was renamed, the rows are the same)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("transport", "0002_permissions"), ("schools", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("transportenrollment", "school", models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="schools.school", verbose_name="scuola")),
        ]),
    ]
