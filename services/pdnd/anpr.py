"""ANPR, the national resident population registry, through PDND: C030 (codice fiscale → ANPR id), C020 (residence),
C021 (the family as registered, "stato di famiglia"). Shapes follow ANPR's published OpenAPI for these e-services."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from . import client
from .client import Caller, NotFound, Unavailable

# ANPR's relationship codes to the head of the family (legame), those a school service needs to tell apart.
RELATIONSHIPS = {"1": "intestatario", "2": "coniuge", "3": "figlio/figlia", "4": "nipote", "5": "genitore",
                 "80": "unito civilmente", "81": "convivente"}
CHILD = "3"


@dataclass(frozen=True)
class Person:
    fiscal_code: str
    given_name: str
    family_name: str
    birth_date: datetime.date | None
    sex: str
    relationship: str  # ANPR's code

    @property
    def relationship_label(self) -> str:
        return RELATIONSHIPS.get(self.relationship, "altro")

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


@dataclass(frozen=True)
class Residence:
    address: str
    postcode: str
    municipality: str
    istat_code: str

    @property
    def in_comune(self) -> bool:
        return self.istat_code == settings.COMUNE_ISTAT_CODE


def enabled() -> bool:
    return client.enabled() and bool(settings.PDND_ANPR_URL)


def _call(case: str, criteria: dict, subject: str, caller: Caller) -> list:
    body = {
        "idOperazioneClient": uuid.uuid4().hex,
        "criteriRicerca": criteria,
        "datiRichiesta": {"dataRiferimentoRichiesta": timezone.localdate().isoformat(),
                          "motivoRichiesta": caller.reference or caller.reason[:100], "casoUso": case},
    }
    data = client.call(eservice=f"anpr-{case}", url=f"{settings.PDND_ANPR_URL.rstrip('/')}/{case}",
                       audience=settings.PDND_ANPR_AUDIENCE, purpose_id=settings.PDND_ANPR_PURPOSES.get(case, ""),
                       body=body, subject=subject, caller=caller)
    subjects = (data.get("listaSoggetti") or {}).get("datiSoggetto") if isinstance(data.get("listaSoggetti"), dict) else None
    if not isinstance(subjects, list):
        raise Unavailable("answer without listaSoggetti")
    if not subjects:
        raise NotFound("empty list")
    return subjects


def anpr_id(fiscal_code: str, caller: Caller) -> str:
    subjects = _call("C030", {"codiceFiscale": fiscal_code}, fiscal_code, caller)
    try:
        value = subjects[0]["identificativi"]["idANPR"]
    except (KeyError, TypeError, IndexError) as exc:
        raise Unavailable("answer without idANPR") from exc
    if not isinstance(value, str) or not value:
        raise Unavailable("answer without idANPR")
    return value


def _text(value, limit=120) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _person(item: dict) -> Person:
    try:
        general = item["generalita"]
        code = _text(general["codiceFiscale"]["codFiscale"], 16).upper()
        born = general.get("dataNascita")
        birth = datetime.date.fromisoformat(born) if isinstance(born, str) and born else None
        relationship = _text((item.get("legameSoggetto") or {}).get("codiceLegame", ""), 4)
        return Person(fiscal_code=code, given_name=_text(general.get("nome")), family_name=_text(general.get("cognome")),
                      birth_date=birth, sex=_text(general.get("sesso"), 1), relationship=relationship)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise Unavailable("a member without the registry's data") from exc


def residence(fiscal_code: str, caller: Caller, registry_id: str = "") -> Residence:
    """The person's current residence (C020); `registry_id` saves the C030 call when the caller has it."""
    subjects = _call("C020", {"idANPR": registry_id or anpr_id(fiscal_code, caller)}, fiscal_code, caller)
    try:
        place = subjects[0]["residenza"][0]["indirizzo"]
        street = place.get("toponimo") or {}
        number = (place.get("numeroCivico") or {}).get("numero", "")
        address = " ".join(p for p in (_text(street.get("specie"), 20).title(), _text(street.get("denominazioneToponimo")),
                                        _text(number, 10)) if p)
        return Residence(address=address, postcode=_text(place.get("cap"), 5),
                         municipality=_text(place["comune"]["nomeComune"]), istat_code=_text(place["comune"]["codiceIstat"], 6))
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise Unavailable("answer without a residence") from exc


def family(fiscal_code: str, caller: Caller, registry_id: str = "") -> list[Person]:
    """Everyone on the person's family record (C021), the person included."""
    subjects = _call("C021", {"idANPR": registry_id or anpr_id(fiscal_code, caller)}, fiscal_code, caller)
    return [_person(item) for item in subjects if isinstance(item, dict)]


def minor_children(members: list[Person], day: datetime.date | None = None) -> list[Person]:
    day = day or timezone.localdate()
    return [m for m in members if m.relationship == CHILD and (m.age_on(day) is not None and m.age_on(day) < 18)]
