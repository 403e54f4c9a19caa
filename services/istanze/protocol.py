"""Applications in the Comune's protocol register (issue 31): which changes of an application are documents, and the
document each is. The protocol app registers them through its adapter after the change commits."""

from django.utils.translation import gettext as _

from services.protocol.port import Attachment, Correspondent, Document

from .models import Istanza
from .states import Status

S = Status
# to_state, or (from_state, to_state) -> (direction, kind)
EVENTS = {
    S.INVIATA: ("in", "istanza"),
    S.IN_ATTESA_DI_INTEGRAZIONE: ("out", "richiesta_integrazione"),
    (S.IN_ATTESA_DI_INTEGRAZIONE, S.PRESA_IN_CARICO): ("in", "integrazione"),
    S.ACCOLTA: ("out", "esito"),
    S.RESPINTA: ("out", "esito"),
    S.ANNULLATA: ("in", "ritiro"),
}
SUBJECTS = {
    "istanza": "Domanda %(number)s: %(title)s",
    "richiesta_integrazione": "Richiesta di integrazione della domanda %(number)s: %(title)s",
    "integrazione": "Integrazione della domanda %(number)s: %(title)s",
    "esito": "Esito della domanda %(number)s: %(title)s",
    "ritiro": "Ritiro della domanda %(number)s: %(title)s",
}


def document(istanza: Istanza, kind: str) -> Document:
    owner = istanza.owner
    direction = "out" if kind in ("richiesta_integrazione", "esito") else "in"
    subject = SUBJECTS[kind] % {"number": istanza.number, "title": istanza.procedure.title}
    main = None
    if kind == "istanza":
        from .receipts import receipt_filename, receipt_pdf

        main = Attachment(receipt_filename(istanza), receipt_pdf(istanza, stamp=False))
    elif kind == "esito":
        from .receipts import outcome_letter_filename, outcome_letter_pdf

        main = Attachment(outcome_letter_filename(istanza), outcome_letter_pdf(istanza, stamp=False))
    else:
        last = istanza.events.order_by("-created_at", "-pk").first()
        text = f"{subject}\n\n{getattr(last, 'note', '') or ''}".strip() + "\n"
        main = Attachment(f"{kind}-{istanza.number}.txt", text.encode(), "text/plain")
    return Document(direction=direction, subject=subject,
                    correspondent=Correspondent(name=owner.get_full_name() or str(owner), given_name=owner.first_name or "",
                                                family_name=owner.last_name or "", fiscal_code=owner.fiscal_code or "",
                                                email=owner.email or ""),
                    main=main, office=getattr(istanza.office, "name", "") or "", profile=istanza.procedure_code)


def scopes() -> list[tuple[str, str]]:
    """A protocol profile per procedure (its classification, file and office)."""
    from . import registry

    return [(procedure.code, _("Procedura: %(title)s") % {"title": procedure.title}) for procedure in registry.catalogue()]


def register() -> None:
    from services.protocol.sources import register_source

    register_source(Istanza, events=EVENTS, document=document, scopes=scopes,
                    scope_of=lambda istanza: istanza.procedure_code)


def withdrawal_waits(istanza: Istanza) -> str:
    """Why a citizen cannot withdraw now, or "": while the application's registration has no number yet."""
    from services.protocol.selectors import waiting

    if istanza.status == S.INVIATA and waiting(istanza):
        return _("La domanda è in corso di protocollazione: potrai ritirarla appena avrà il numero di protocollo.")
    return ""


def registration_of(istanza: Istanza):
    """The application's own registration (its stamp, or "in corso"), or None when none is made (no protocol system
    configured, or a draft)."""
    from services.protocol.selectors import first_registration

    return first_registration(istanza, "istanza") if istanza.number else None


def with_registrations(istanza: Istanza, events) -> list:
    """The timeline's events, each with the registration of the document it produced (`event.registration`, or None):
    an integration request or an outcome shows its outbound number, the answer its inbound one."""
    from services.protocol.selectors import by_event

    found = by_event(istanza) if istanza.number else {}
    events = list(events)
    for event in events:
        event.registration = found.get(str(event.pk))
    return events


def outcome_registration_of(istanza: Istanza, event):
    """The outcome letter's own registration (its outbound stamp), or None."""
    from services.protocol.selectors import by_event

    return by_event(istanza).get(str(event.pk)) if event is not None and istanza.number else None


def on_registration(sender, pk, from_state, to_state, **kwargs):
    """workflow.transitioned for the protocol's registrations: an application's own just got its number."""
    from django.db import transaction

    from services.protocol.models import Registration
    from services.protocol.states import Status as R

    if to_state != R.REGISTERED:
        return
    registration = Registration.objects.filter(pk=pk, source_label=Istanza._meta.label_lower, kind="istanza").first()
    istanza = Istanza.objects.filter(pk=registration.source_pk).first() if registration else None
    if istanza is None:
        return
    from .messages import registered_queue

    with transaction.atomic():
        registered_queue(istanza, registration)
