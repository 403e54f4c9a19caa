from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "services.catalogue"
    label = "catalogue"
    verbose_name = "Catalogo dei servizi"
