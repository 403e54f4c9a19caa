from django.urls import path

from . import school_views

app_name = "meals_school"
urlpatterns = [
    path("", school_views.school_attendance, name="attendance"),
    path("csv/", school_views.school_attendance_csv, name="attendance_csv"),
]
