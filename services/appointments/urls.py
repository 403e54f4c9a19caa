from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("prenota-appuntamento/", views.start, name="start"),
    path("prenota-appuntamento/luogo/", views.place, name="place"),
    path("prenota-appuntamento/data/", views.when, name="when"),
    path("prenota-appuntamento/dettagli/", views.details, name="details"),
    path("prenota-appuntamento/richiedente/", views.applicant, name="applicant"),
    path("prenota-appuntamento/riepilogo/", views.summary, name="summary"),
    path("prenota-appuntamento/<uuid:public_id>/", views.done, name="done"),
    path("prenota-appuntamento/<uuid:public_id>/calendario.ics", views.calendar_file, name="ics"),
    path("annulla-appuntamento/", views.cancel, name="cancel"),
    path("area-personale/appuntamenti/", views.mine, name="mine"),
    path("area-personale/appuntamenti/<uuid:public_id>/annulla/", views.mine_cancel, name="mine_cancel"),
]
