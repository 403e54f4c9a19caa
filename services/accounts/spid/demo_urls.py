from django.urls import path

from . import demo_idp

urlpatterns = [
    path("metadata/", demo_idp.metadata, name="demo_idp_metadata"),
    path("sso/", demo_idp.sso, name="demo_idp_sso"),
    path("sso/login/", demo_idp.login, name="demo_idp_login"),
    path("slo/", demo_idp.slo, name="demo_idp_slo"),
]
