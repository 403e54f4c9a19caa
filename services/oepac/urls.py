from django.urls import path

from . import views

app_name = "oepac"
urlpatterns = [
    path("", views.school_enrollments, name="school_enrollments"),
    path("csv/", views.school_enrollments_csv, name="school_enrollments_csv"),
    path("documenti/<uuid:public_id>/", views.school_health_document, name="school_health_document"),
]
