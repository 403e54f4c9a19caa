from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "services.schools"
    label = "schools"
    verbose_name = "Scuole"

    def ready(self):
        from services.core import demo

        from . import demo as schools_demo

        demo.register("schools.roles", schools_demo.load_roles, order=120, users=True)
        # Broadcasts to the families of one school: every school service's audience may take this filter.
        from django.contrib.auth.signals import user_logged_in
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.core import option_lists, workflow
        from services.notifications import audiences, kinds

        from . import actions, selectors
        from .models import School, SchoolRole
        from .states import TRANSITIONS

        option_lists.register("scuole", lambda: list(School.objects.filter(active=True).order_by("name").values_list("code", "name")),
                              office=selectors.municipio_of)
        from . import desk  # noqa: F401  (registers the Master's desk, whether or not the URLs were loaded yet)

        workflow.register(SchoolRole, TRANSITIONS, field="state", labels=lambda state: SchoolRole.State(state).label,
                          record=actions.record_event)

        kinds.register(actions.MASTER_REPLACED, label=_("Utenze della scuola"), mandatory=True, io_service="default")
        user_logged_in.connect(lambda sender, request, user, **kw: actions.roles_bind(user=user), weak=False,
                               dispatch_uid="schools-bind-roles")
        area.register_desk_card("scuola", template="schools/_desk_card.html", order=5,
                                context=selectors.desk_card)
        audiences.register_filter("school", label=_("Solo la scuola"), empty_label=_("Tutte le scuole"),
                                  queryset=lambda: School.objects.filter(active=True).order_by("name"),
                                  not_applicable=_("Questo servizio non si può limitare a una scuola."))
