from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("assistenza/", views.request_form, name="form"),
    path("assistenza/<uuid:public_id>/conferma/", views.request_check, name="check"),
    path("assistenza/<uuid:public_id>/inviata/", views.request_sent, name="sent"),
    path("assistenza/risposta/<str:token>/", views.by_token, name="by_token"),
    path("assistenza/risposta/<str:token>/allegati/<str:entry_id>/", views.token_attachment, name="token_attachment"),
    path("area-personale/assistenza/", views.mine_list, name="mine_list"),
    path("area-personale/assistenza/<uuid:public_id>/", views.mine, name="mine"),
    path("area-personale/assistenza/<uuid:public_id>/allegati/<str:entry_id>/", views.mine_attachment, name="mine_attachment"),
]
