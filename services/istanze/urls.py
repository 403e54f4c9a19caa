from django.urls import path

from . import views

app_name = "istanze"
urlpatterns = [
    path("", views.istanze_list, name="list"),
    path("nuova/", views.catalogue, name="catalogue"),
    path("nuova/<str:code>/", views.istanza_start, name="start"),
    path("<uuid:public_id>/", views.istanza_detail, name="detail"),
    path("<uuid:public_id>/compila/", views.istanza_compile, name="compile"),
    path("<uuid:public_id>/riepilogo/", views.istanza_summary, name="summary"),
    path("<uuid:public_id>/invia/", views.istanza_submit, name="submit"),
    path("<uuid:public_id>/paga/", views.istanza_pay, name="pay"),
    path("<uuid:public_id>/riporta-in-bozza/", views.istanza_back_to_draft, name="back_to_draft"),
    path("<uuid:public_id>/ritira/", views.istanza_withdraw, name="withdraw"),
    path("<uuid:public_id>/elimina-bozza/", views.istanza_discard_draft, name="discard"),
    path("<uuid:public_id>/inviata/", views.istanza_sent, name="sent"),
    path("<uuid:public_id>/ricevuta/", views.istanza_receipt, name="receipt"),
    path("<uuid:public_id>/esito/", views.istanza_outcome_letter, name="outcome_letter"),
    path("<uuid:public_id>/importante/", views.istanza_star, name="star"),
    path("allegati/<uuid:public_id>/", views.attachment_download, name="attachment"),
]
