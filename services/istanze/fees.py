"""A procedure's fee at Invia (`Procedure.fee`): the application waits for pagoPA's receipt in *In attesa di
pagamento* — numbered, seen by the citizen and the office — and reaches the office's hands (INVIATA) when the
payment settles. One pagoPA position per application, found again on a second click; withdrawing it first withdraws
the notice, so nothing is paid for an application that no longer exists."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.payments import actions as payments
from services.payments import purposes
from services.payments.models import PaymentPosition
from services.payments.states import SETTLED

from . import registry
from .models import Istanza, IstanzaEvent
from .states import Actor, Status

PURPOSE = "istanza-fee"


def register() -> None:
    purposes.register(PURPOSE, label="Quota di una pratica online", taxonomy=settings.ISTANZE_FEE_TAXONOMY,
                      on_settled=settled)


def amount_of(istanza):
    """What this application costs at Invia, or None (no fee, or nothing to pay for these answers)."""
    procedure = registry.for_istanza(istanza)
    amount = procedure.fee(istanza) if procedure.fee else None
    return amount if amount else None


def position_of(istanza) -> PaymentPosition | None:
    return PaymentPosition.objects.filter(purpose=PURPOSE, purpose_ref=str(istanza.public_id)).order_by("-pk").first()


@transaction.atomic
def send_with_fee(*, istanza: Istanza, by) -> tuple[Istanza, PaymentPosition]:
    """Invia for a procedure with a fee: numbered and waiting for payment, with its pagoPA position. A second click
    (or a replayed request) finds both again."""
    from .actions import istanza_transition

    istanza = istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_PAGAMENTO, by=by, actor_kind=Actor.CITIZEN)
    position = position_of(istanza)
    if position is None:
        amount = amount_of(istanza)
        procedure = registry.for_istanza(istanza)
        position = payments.position_create(
            owner=istanza.owner, purpose=PURPOSE, amount=amount, purpose_ref=str(istanza.public_id),
            description=f"{procedure.title} {istanza.number}", requested_by_citizen=True,
            due_date=timezone.localdate() + timedelta(days=settings.ISTANZE_FEE_DAYS))
    return istanza, position


def settled(position, receipt) -> None:
    """pagoPA's receipt (inside the transaction that records it): the application is sent. One withdrawn meanwhile
    keeps its state and says the fee came, for the office to give it back."""
    from .actions import istanza_transition

    istanza = Istanza.objects.select_for_update().filter(public_id=position.purpose_ref).first()
    if istanza is None:
        return
    if istanza.status == Status.IN_ATTESA_DI_PAGAMENTO:
        istanza_transition(istanza=istanza, to=Status.INVIATA, by=None, actor_kind=Actor.SYSTEM,
                           note=_("Pagamento ricevuto: %(iuv)s") % {"iuv": position.iuv})
    else:
        IstanzaEvent.objects.create(istanza=istanza, from_status=istanza.status, to_status=istanza.status,
                                    actor_kind=Actor.SYSTEM, note=_("Pagamento ricevuto per una pratica non più in attesa: "
                                                                    "l'ufficio restituisce la quota (%(iuv)s).") % {"iuv": position.iuv})


def withdraw_notice(istanza) -> str:
    """Before an application waiting for its fee is withdrawn: the notice is withdrawn at pagoPA. Returns why not
    ("" when done or nothing to withdraw)."""
    from services.payments import client

    position = position_of(istanza)
    if position is None or position.status in (*SETTLED, "INVALID", "EXPIRED"):
        return _("La quota risulta già pagata: la pratica passa all'ufficio.") if position and position.status in SETTLED else ""
    try:
        payments.position_invalidate(position=position, reason=_("Pratica ritirata dal cittadino"))
    except client.PagoPAError:
        return _("In questo momento non possiamo annullare l'avviso di pagamento: riprova tra qualche minuto.")
    return ""


def unpaid_close(*, today=None) -> int:
    """Nightly: an application whose notice was not paid by its due date (and a day's grace for a receipt on its way)
    is closed (ANNULLATA by the system, the citizen told) and its notice withdrawn. One whose notice cannot be
    withdrawn now (pagoPA unreachable, or paid meanwhile) waits for the next night or for its receipt."""
    from .actions import istanza_transition

    today = today or timezone.localdate()
    closed = 0
    waiting = Istanza.objects.filter(status=Status.IN_ATTESA_DI_PAGAMENTO).only("pk", "public_id", "status")
    for istanza in waiting.iterator():
        position = position_of(istanza)
        if position is None or position.due_date >= today - timedelta(days=1) or position.status in SETTLED:
            continue
        if withdraw_notice(istanza):
            continue
        with transaction.atomic():
            locked = Istanza.objects.select_for_update().get(pk=istanza.pk)
            if locked.status == Status.IN_ATTESA_DI_PAGAMENTO:
                istanza_transition(istanza=locked, to=Status.ANNULLATA, by=None, actor_kind=Actor.SYSTEM,
                                   note=_("Quota non pagata entro il %(date)s: la domanda è chiusa.")
                                   % {"date": position.due_date.strftime("%d/%m/%Y")})
                closed += 1
    return closed
