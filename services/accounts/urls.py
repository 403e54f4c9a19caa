from django.urls import path

from . import views
from .oidc import views as oidc_views

app_name = "accounts"
urlpatterns = [
    path("accedi/", views.login_choice, name="login"),
    path("accedi/cie/", oidc_views.start, name="cie_oidc_start"),
    path("accedi/cie/ritorno/", oidc_views.callback, name="cie_oidc_callback"),
    path(".well-known/openid-federation", oidc_views.entity_configuration, name="oidc_federation"),
    path("accedi/cns/inizia/", views.cns_start, name="cns_start"),
    path("accedi/cns/", views.cns_login, name="cns_login"),
    path("accedi/cns/completa/", views.cns_complete, name="cns_complete"),
    path("esci/", views.logout_view, name="logout"),
    path("area-personale/", views.dashboard, name="dashboard"),
    path("area-personale/messaggi/", views.messages_tab, name="messaggi"),
    path("area-personale/documenti/", views.documents_tab, name="documenti"),
    path("area-personale/impostazioni/", views.settings_view, name="impostazioni"),
    path("area-personale/collega-account/", views.link_account, name="link"),
    path("area-personale/sessione/", views.keep_alive, name="keep_alive"),
    path("area-personale/impostazioni/verifica/<str:channel>/", views.verification_send, name="verification_send"),
    path("area-personale/impostazioni/verifica-email/<str:token>/", views.verify_email, name="verify_email"),
    path("area-personale/impostazioni/verifica-cellulare/", views.verify_mobile, name="verify_mobile"),
    path("conferma-indirizzo/<str:token>/", views.verify_address, name="verify_address"),
]
