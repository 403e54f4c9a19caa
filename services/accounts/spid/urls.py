from django.urls import path

from djangosaml2 import views as saml_views

from . import views

urlpatterns = [
    path("login/", views.SpidLoginView.as_view(), name="saml2_login"),
    path("acs/", views.SpidAcsView.as_view(), name="saml2_acs"),
    path("logout/", saml_views.LogoutInitView.as_view(), name="saml2_logout"),
    path("ls/", saml_views.LogoutView.as_view(), name="saml2_ls"),
    path("ls/post/", saml_views.LogoutView.as_view(), name="saml2_ls_post"),
    path("metadata/", views.metadata, name="saml2_metadata"),
]
