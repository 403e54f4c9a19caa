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


def family_for(wizard, reason: str = "") -> dict | None:
    """The family record of the wizard's signed-in parent, read once per draft and kept with it (the engine's
    `wizard.certified`); None when ANPR is not asked (not configured, or a codice fiscale no provider proved)."""
    if not wizard or not applies(wizard.request.user):
        return None
    request = wizard.request
    level = int(request.session.get("auth_level", 2) or 2)  # accounts.spid.views.AUTH_LEVEL_SESSION_KEY
    return wizard.certified("anpr_family", lambda: family_record(
        user=request.user, reference=f"istanza:{wizard.istanza.public_id}",
        reason=reason or _("Iscrizione a un servizio scolastico: i figli minorenni dallo stato di famiglia"), level=level))


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


class CertifiedChildMixin:
    """For a wizard step that names a child: the signed-in parent's minor children from ANPR offered as a choice
    («dato certificato da ANPR»), whose registry data replace anything typed; another child typed in full and marked
    declared. The step's form calls `offer_certified_children()` at the end of `__init__` and
    `clean_certified_child(cleaned)` in `clean()`; `child_fields` maps its fields to the registry's values."""

    child_fields = {"nome": "nome", "cognome": "cognome", "codice_fiscale": "codice_fiscale"}
    certified_reason = ""  # why the registry is read, for the access register

    def _family(self):
        return family_for(getattr(self, "wizard", None), self.certified_reason)

    def offer_certified_children(self, preselect: str = ""):
        from django import forms

        self.family = self._family()
        children = (self.family or {}).get("children") or []
        if self.family is not None:
            self.intro = f"{getattr(self, 'intro', '') or ''} {notice(self.family)}".strip()
        if not children:
            return
        choices = [(c["codice_fiscale"], _("%(name)s, nato/a il %(born)s — dato certificato da ANPR") % {
            "name": f"{c['nome']} {c['cognome']}", "born": "/".join(reversed(c["data_nascita"].split("-")))})
            for c in children] + [("altro", _("Un altro bambino: scrivo io i dati (dato dichiarato)"))]
        field = forms.ChoiceField(label=_("Figlio da iscrivere"), widget=forms.RadioSelect, required=False, choices=choices)
        names = list(self.fields)
        at = names.index(next(iter(self.child_fields)))  # the choice goes just before the child's own fields
        self.fields = {**{k: self.fields[k] for k in names[:at]}, "figlio": field, **{k: self.fields[k] for k in names[at:]}}
        for name in self.child_fields:
            self.fields[name].required = False
            self.fields[name].help_text = _("Solo per un bambino che non è nell'elenco qui sopra.")
        if not self.is_bound and preselect in {c["codice_fiscale"] for c in children}:
            self.initial.setdefault("figlio", preselect)

    def clean_certified_child(self, cleaned):
        if "figlio" not in self.fields:
            cleaned["fonte_dati"] = DECLARED
            return
        typed = list(self.child_fields)
        chosen = cleaned.get("figlio")
        if chosen in ("", None) and not any(cleaned.get(n) for n in typed) and not any(n in self.errors for n in typed):
            self.add_error("figlio", _("Scegli il figlio da iscrivere o «Un altro bambino» e scrivi i suoi dati."))
            return
        if chosen in ("", None, "altro"):  # typed: still the certified child when the codice fiscale is one of them
            chosen = cleaned.get("codice_fiscale") or "altro"
        child = next((c for c in self.family["children"] if c["codice_fiscale"] == chosen), None)
        if child is not None:
            import datetime

            for name, key in self.child_fields.items():
                value = child[key]
                cleaned[name] = datetime.date.fromisoformat(value) if key == "data_nascita" and value else value
                self.errors.pop(name, None)
            cleaned["figlio"], cleaned["fonte_dati"] = child["codice_fiscale"], CERTIFIED
            return
        cleaned["figlio"], cleaned["fonte_dati"] = "altro", DECLARED
        for name in typed:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages.get("required") or _("Questo dato è obbligatorio."))
