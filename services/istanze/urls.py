from django.urls import path

from . import views

app_name = "istanze"
urlpatterns = [
    path("", views.istanze_list, name="list"),
    path("<uuid:public_id>/", views.istanza_detail, name="detail"),
    path("<uuid:public_id>/importante/", views.istanza_star, name="star"),
]
