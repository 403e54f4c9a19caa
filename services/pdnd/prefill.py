"""What a wizard asks of ANPR, as a JSON-able record it keeps with the draft (istanze's `wizard.certified`): the
signed-in parent's minor children as the national registry has them, or why there are none to offer."""

from django.utils.translation import gettext as _

from . import anpr
from .client import Caller, NotFound, PdndError

CERTIFIED = "anpr"  # the source of a value read from the registry
DECLARED = "dichiarato"  # typed by the person


def applies(user) -> bool:
    """Only for a codice fiscale an identity provider proved: ANPR is asked about the person signed in, no one else."""
    return anpr.enabled() and bool(getattr(user, "fiscal_code_attested", False))


def family_record(*, user, reference: str, reason: str, level: int = 2) -> dict:
    caller = Caller(user=user, reason=reason, reference=reference, level="high" if level >= 3 else "substantial")
    try:
        registry_id = anpr.anpr_id(user.fiscal_code, caller)
        members = anpr.family(user.fiscal_code, caller, registry_id)
        home = anpr.residence(user.fiscal_code, caller, registry_id)
    except NotFound:
        return {"status": "not_found"}
    except PdndError:
        return {"status": "unavailable"}
    return {
        "status": "ok",
        "resident": home.in_comune,
        "children": [{"codice_fiscale": c.fiscal_code, "nome": c.given_name.title(), "cognome": c.family_name.title(),
                      "data_nascita": c.birth_date.isoformat() if c.birth_date else ""}
                     for c in anpr.minor_children(members)],
    }


def notice(record: dict | None) -> str:
    """What the step says about the registry, or "" when there is nothing to say."""
    if record is None:
        return ""
    if record["status"] == "unavailable":
        return _("L'Anagrafe nazionale (ANPR) in questo momento non risponde: scrivi tu i dati del bambino, l'ufficio li "
                 "verificherà.")
    if record["status"] == "not_found" or not record.get("children"):
        return _("Nell'Anagrafe nazionale (ANPR) non risultano figli minorenni nel tuo stato di famiglia: scrivi i dati del "
                 "bambino.")
    return _("I figli minorenni qui sotto risultano dal tuo stato di famiglia nell'Anagrafe nazionale (ANPR): scegli quello "
             "da iscrivere e i suoi dati saranno quelli certificati. Per un altro bambino scrivi tu i dati.")
