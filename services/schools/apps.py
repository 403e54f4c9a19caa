from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "services.schools"
    label = "schools"
    verbose_name = "Scuole"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from services.notifications import audiences

        from .models import School

        # Broadcasts to the families of one school: every school service's audience may take this filter.
        audiences.register_filter("school", label=_("Solo la scuola"), empty_label=_("Tutte le scuole"),
                                  queryset=lambda: School.objects.filter(active=True).order_by("name"),
                                  not_applicable=_("Questo servizio non si può limitare a una scuola."))
