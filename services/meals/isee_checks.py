"""Writes of the declared-ISEE check (tasks.isee_verify and its sweep): one row lock, done once per application."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from services.accounts.selectors import office_staff
from services.istanze.actions import record_event
from services.istanze.models import Istanza
from services.istanze.states import HOLDING
from services.notifications.actions import staff_alert

from . import isee
from .procedure import CODE


def verify_one(istanza_id: int) -> str:
    istanza = Istanza.objects.select_related("owner").filter(pk=istanza_id, procedure_code=CODE).first()
    if istanza is None or istanza.status not in HOLDING:
        return "skipped"
    result = isee.verify(istanza)  # outside the lock: INPS may take seconds
    if result is None:
        return "nothing"
    with transaction.atomic():
        istanza = Istanza.objects.select_for_update().get(pk=istanza_id)
        if istanza.data.get("verifica_isee"):
            return "done-already"
        istanza.data["verifica_isee"] = result
        istanza.save(update_fields=["data"])
        note = isee.verification_note(result, istanza.data["tariffa"]["valore_isee"])
        record_event(istanza, istanza.status, istanza.status, by=None, actor=None, note=note, details=result)
        if result["esito"] != "uguale":
            staff_alert(users=office_staff(istanza.office_id), event=f"isee-check:{istanza.pk}",
                        url=reverse("istanze_istanza_modeladmin_inspect", args=[istanza.pk]),
                        text=_("Pratica %(number)s: l'ISEE dichiarato non corrisponde a quello dell'INPS") % {
                            "number": istanza.number})
    return result["esito"]


def verify_pending(limit: int = 200) -> int:
    pending = Istanza.objects.filter(procedure_code=CODE, status__in=HOLDING, data__tariffa__fonte_isee=isee.DECLARED) \
        .exclude(data__has_key="verifica_isee").order_by("submitted_at").values_list("pk", flat=True)[:limit]
    return sum(verify_one(pk) not in ("nothing", "skipped") for pk in list(pending))
