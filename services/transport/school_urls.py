from django.urls import path

from . import school_views

app_name = "transport_school"
urlpatterns = [
    path("", school_views.school_transport, name="enrollments"),
    path("csv/", school_views.school_transport_csv, name="enrollments_csv"),
]
