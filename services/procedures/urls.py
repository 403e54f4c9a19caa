from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("area-personale/rilevazione-0-3/", views.survey_desk, name="survey"),
    path("rilevazione-0-3/dati-aperti/<int:year>.csv", views.open_data, name="open_data"),
    path("rilevazione-0-3/dati-aperti/dizionario.csv", views.open_data_dictionary, name="open_data_dictionary"),
]
