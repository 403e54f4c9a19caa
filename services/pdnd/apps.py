from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdndConfig(AppConfig):
    name = "services.pdnd"
    label = "pdnd"
    verbose_name = _("Interoperabilità (PDND)")
