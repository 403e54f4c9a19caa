"""The ISEE of a MENSA application from INPS (services/pdnd/inps): read in the fee step for the signed-in parent,
or, when the parent declared it, checked after submission and the office told if it differs."""

from decimal import Decimal

from django.utils.translation import gettext as _

from services.core.money import format_euro
from services.pdnd import inps, prefill
from services.pdnd.client import Caller, NotFound, PdndError

BENEFIT = "A2.12"  # INPS's code of the benefit: school meals (refezione scolastica)
CERTIFIED, DECLARED = "inps", "dichiarato"


def applies(user) -> bool:
    return inps.enabled() and prefill.applies(user)


def record(*, user, reference: str, level: int = 2) -> dict:
    """What the fee step keeps with the draft (wizard.certified): the attestation, or why there is none."""
    caller = Caller(user=user, reason=_("Tariffa della refezione scolastica: attestazione ISEE per la prestazione %(code)s")
                    % {"code": BENEFIT}, reference=reference, level="high" if level >= 3 else "substantial")
    try:
        found = inps.attestation(user.fiscal_code, benefit=BENEFIT, caller=caller)
    except NotFound:
        return {"status": "not_found"}
    except PdndError:
        return {"status": "unavailable"}
    return {"status": "ok", "value": str(found.value), "protocol": found.protocol, "issued": found.issued.isoformat(),
            "expires": found.expires.isoformat(), "expired": found.expired,
            "omissions": list(found.omissions), "discrepancies": list(found.discrepancies)}


def _date(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))


def usable(kept: dict | None) -> bool:
    return bool(kept) and kept["status"] == "ok" and not kept["expired"]


def choice_label(kept: dict) -> str:
    return _("Tariffa agevolata con l'ISEE che risulta all'INPS: € %(value)s (attestazione %(protocol)s, valida fino al "
             "%(until)s) — dato certificato da INPS") % {"value": format_euro(Decimal(kept["value"])),
                                                         "protocol": kept["protocol"], "until": _date(kept["expires"])}


def notice(kept: dict | None) -> str:
    if kept is None:
        return ""
    if kept["status"] == "unavailable":
        return _("L'INPS in questo momento non risponde: puoi scrivere tu i dati dell'attestazione ISEE, l'ufficio li "
                 "verificherà con l'INPS.")
    if kept["status"] == "not_found":
        return _("All'INPS non risulta un'attestazione ISEE valida per la refezione scolastica: se l'hai appena chiesta, "
                 "scrivi tu i dati; l'ufficio li verificherà.")
    if kept["expired"]:
        return _("L'attestazione ISEE che risulta all'INPS è scaduta il %(date)s: presenta una nuova DSU, oppure scrivi i "
                 "dati di un'attestazione più recente.") % {"date": _date(kept["expires"])}
    notes = kept["omissions"] + kept["discrepancies"]
    if notes:
        return _("Attenzione: l'INPS segnala omissioni o difformità nell'attestazione (%(notes)s). Puoi usarla, ma l'ufficio "
                 "potrebbe chiederti di correggerla.") % {"notes": "; ".join(notes)}
    return _("Abbiamo chiesto all'INPS la tua attestazione ISEE: se la usi, la tariffa è calcolata sul valore certificato.")


def verify(istanza) -> dict | None:
    """After submission: a declared ISEE compared with INPS's attestation; None when there is nothing to check (or INPS
    did not answer: the sweep tries again)."""
    tariffa = istanza.data.get("tariffa", {})
    if tariffa.get("tariffa") != "isee" or tariffa.get("fonte_isee") == CERTIFIED or istanza.data.get("verifica_isee"):
        return None
    owner = istanza.owner
    if not owner.fiscal_code_trusted or not inps.enabled():
        return None
    caller = Caller(user=None, reason=_("Verifica dell'ISEE dichiarato per la refezione scolastica"),
                    reference=f"istanza:{istanza.public_id}")
    try:
        found = inps.attestation(owner.fiscal_code, benefit=BENEFIT, caller=caller)
    except NotFound:
        return {"esito": "non_trovata"}
    except PdndError:
        return None
    declared = Decimal(tariffa["valore_isee"])
    return {"esito": "uguale" if found.value == declared and not found.expired else "diverso",
            "valore_inps": str(found.value), "protocollo": found.protocol, "scaduta": found.expired,
            "annotazioni": bool(found.omissions or found.discrepancies)}


def verification_note(result: dict, declared: str) -> str:
    if result["esito"] == "non_trovata":
        return _("Verifica ISEE con l'INPS: nessuna attestazione valida per la refezione risulta all'INPS (dichiarato "
                 "€ %(declared)s).") % {"declared": format_euro(Decimal(declared))}
    if result["esito"] == "uguale":
        return _("Verifica ISEE con l'INPS: il valore dichiarato (€ %(declared)s) coincide con l'attestazione %(protocol)s.") % {
            "declared": format_euro(Decimal(declared)), "protocol": result["protocollo"]}
    return _("Verifica ISEE con l'INPS: il valore dichiarato (€ %(declared)s) è diverso da quello dell'attestazione "
             "%(protocol)s (€ %(inps)s)%(expired)s.") % {
        "declared": format_euro(Decimal(declared)), "protocol": result["protocollo"],
        "inps": format_euro(Decimal(result["valore_inps"])), "expired": _(", che è scaduta") if result["scaduta"] else ""}
