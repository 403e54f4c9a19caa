"""Canteen staff see the day's counts, record absences and read the diet sheets; school staff record
absences; administrators also read medical diets."""

from django.db import migrations

from services.core.permissions import grant

GRANTS = {
    "Canteen staff": [("child", "view_child"), ("mealchange", "add_mealchange"), ("child", "view_medical_diet")],
    "School master": [("mealchange", "add_mealchange")],
    "School user": [("mealchange", "add_mealchange")],
    "Administrators": [("mealchange", "add_mealchange"), ("child", "view_medical_diet")],
}


class Migration(migrations.Migration):
    dependencies = [("meals", "0005_enrollment"), ("accounts", "0002_staff_groups")]
    operations = [migrations.RunPython(lambda apps, _: grant(apps, "meals", GRANTS, admin_access=("Canteen staff",)),
                                       migrations.RunPython.noop)]
