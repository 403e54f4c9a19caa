from django.contrib.auth.decorators import login_required
from django.urls import path

from services.core import desk as core_desk

from . import desk, views

app_name = "schools"
urlpatterns = [
    path("", views.school_home, name="home"),
    path("<str:code>/utenti/", views.school_users, name="users"),
    path("<str:code>/utenti/<id:role_id>/", views.school_user_change, name="user_change"),
    *core_desk.urls("utenti/<id:pk>/azione/", desk.DESK.name, login_required, url_name="desk"),
]
