from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.payments_tab, name="tab"),
    path("<uuid:public_id>/paga/", views.pay_online, name="pay"),
    path("<uuid:public_id>/esito/", views.returned, name="returned"),
    path("<uuid:public_id>/avviso/", views.notice_download, name="notice"),
    path("<uuid:public_id>/avviso/email/", views.notice_email, name="notice_email"),
    path("<uuid:public_id>/ricevuta/", views.receipt_download, name="receipt"),
]
