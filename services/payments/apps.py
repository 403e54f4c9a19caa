from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "services.payments"
    label = "payments"
    verbose_name = "Pagamenti pagoPA"

    def ready(self):
        from . import invariants

        invariants.register()
        from services.core import health as core_health

        from . import health

        core_health.register("pagopa", health.pagopa)
        core_health.register("reconciliation", health.reconciliation)
        core_health.register("payments_unpublished", health.unpublished)
        from services.core import demo

        from . import demo as payments_demo

        demo.register("payments.switch_over", payments_demo.load_switch_over, order=115, users=True)
        demo.register("payments.notices", payments_demo.load_notices, order=125, users=True)
        from django.conf import settings
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.core import workflow

        from . import actions, messages, selectors
        from .models import PaymentPosition
        from .states import TRANSITIONS, PositionStatus

        workflow.register(PaymentPosition, TRANSITIONS, labels=lambda state: PositionStatus(state).label, record=actions.record_event)

        messages.register_kinds()
        area.register_tab("pagamenti", label=_("Pagamenti"), url_name="payments:tab", order=20)
        area.register_documents(selectors.documents_of)

        if settings.PAGOPA_SANDBOX_ENABLED:
            from . import purposes

            # Development and tests only: a purpose with no owner, for the demo notices of `load_demo_content`.
            purposes.register("demo", label="Pagamento dimostrativo", taxonomy="9/0101108TS/")
