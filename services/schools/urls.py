from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.school_home, name="home"),
    path("<str:code>/utenti/", views.school_users, name="users"),
    path("<str:code>/utenti/<id:role_id>/", views.school_user_change, name="user_change"),
]
