"""What a procedure shows a signed-in citizen on its service page (the catalogue's module panel): a draft to
resume or start again, the applications the office is working, an integration to send, and whether a new
application may be started now. Two queries at most, whatever the citizen's history."""

from services.catalogue.modules import Panel

from . import registry
from .access import refusal_for
from .models import Istanza
from .states import DRAFT, OPEN_OFFICE, Status

SHOWN = 5  # the newest applications in the office's hands; the rest are in the personal area


def procedure_panel(code: str):
    def panel(request, service_url: str) -> Panel | None:
        procedure = registry.get(code)
        rows = list(
            Istanza.objects.filter(owner=request.user, procedure_code=code, status__in=DRAFT | OPEN_OFFICE)
            .only("public_id", "status", "number", "updated_at", "submitted_at", "taken_in_charge_at", "due_date")
            .order_by("-updated_at")[: SHOWN + 1]
        )
        draft = next((i for i in rows if i.status in DRAFT), None)
        working = [i for i in rows if i.status in OPEN_OFFICE][:SHOWN]
        refusal = refusal_for(request, procedure)
        return Panel("istanze/_service_panel.html", {
            "procedure": procedure,
            "draft": draft,
            "working": working,
            "integration": Status.IN_ATTESA_DI_INTEGRAZIONE,
            "taken": Status.PRESA_IN_CARICO,
            "refusal": refusal,
        })

    return panel
