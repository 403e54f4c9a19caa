from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("accedi/", views.login_choice, name="login"),
    path("esci/", views.logout_view, name="logout"),
    path("area-personale/", views.dashboard, name="dashboard"),
    path("area-personale/pratiche/", views.placeholder_tab, {"tab": "pratiche"}, name="pratiche"),
    path("area-personale/pagamenti/", views.placeholder_tab, {"tab": "pagamenti"}, name="pagamenti"),
    path("area-personale/messaggi/", views.placeholder_tab, {"tab": "messaggi"}, name="messaggi"),
    path("area-personale/documenti/", views.placeholder_tab, {"tab": "documenti"}, name="documenti"),
    path("area-personale/impostazioni/", views.settings_view, name="impostazioni"),
    path("area-personale/sessione/", views.keep_alive, name="keep_alive"),
]
