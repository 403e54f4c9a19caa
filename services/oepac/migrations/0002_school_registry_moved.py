"""Schools and ambiti now live in services/schools (its 0001 renamed the tables and moved the content types):
OEPAC's own models point to them, and OEPAC's state forgets them. No change in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("oepac", "0001_initial"),
        ("schools", "0001_initial"),
        # Every other app's foreign keys have moved before the old models leave the state.
        ("meals", "0007_school_registry_moved"),
        ("transport", "0003_school_registry_moved"),
        ("notifications", "0003_broadcast_filters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("organisation", "ambiti", models.ManyToManyField(
                related_name="organisations", to="schools.ambito", verbose_name="ambiti")),
            migrations.AlterField("enrollment", "school", models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="enrollments", to="schools.school", verbose_name="scuola")),
            migrations.DeleteModel("School"),
            migrations.DeleteModel("Ambito"),
        ]),
    ]
