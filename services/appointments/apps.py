from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "services.appointments"
    label = "appointments"
    verbose_name = "Appuntamenti"

    def ready(self):
        from services.core import demo

        from . import demo as appointments_demo

        demo.register("appointments.calendars", appointments_demo.load_calendars, order=60)  # after the site's services
        demo.register("appointments.bookings", appointments_demo.load_bookings, order=150, users=True)
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area, verification
        from services.catalogue import modules
        from services.core import workflow
        from services.notifications import kinds

        from . import actions, messages
        from .models import Appointment, AppointmentType, Closure, OpeningBlock
        from .states import RULES, TRANSITIONS, Status

        # Every change of an appointment's state goes through the kernel, with an event row (services/core/workflow.py).
        workflow.register(Appointment, TRANSITIONS, rules=RULES, labels=lambda state: Status(state).label)

        verification.register_purpose(actions.PURPOSE, actions.on_address_confirmed)
        kinds.register("appointments.confirmed", label=_("Conferma dell'appuntamento"), mandatory=True,
                       attachments=messages.calendar_attachment)
        kinds.register("appointments.cancelled", label=_("Annullamento dell'appuntamento"), mandatory=True,
                       attachments=messages.calendar_attachment)
        kinds.register("appointments.reminder", label=_("Promemoria dell'appuntamento"), attachments=messages.calendar_attachment)
        area.register_tab("appuntamenti", label=_("Appuntamenti"), url_name="appointments:mine", order=60)
        modules.register(modules.Module(key="appointments", label=str(_("Prenotazione di un appuntamento")), kind="booking",
                                        url=lambda: reverse("appointments:start"), audience=str(_("con o senza SPID"))))

        def refresh(**_kwargs):  # a calendar changed: its slots follow, once the admin's transaction commits
            transaction.on_commit(actions.slots_refresh)

        for model in (OpeningBlock, Closure, AppointmentType):
            post_save.connect(refresh, sender=model, weak=False, dispatch_uid=f"appointments-refresh-save-{model.__name__}")
            post_delete.connect(refresh, sender=model, weak=False, dispatch_uid=f"appointments-refresh-delete-{model.__name__}")
        m2m_changed.connect(refresh, sender=AppointmentType.offices.through, weak=False, dispatch_uid="appointments-refresh-offices")
