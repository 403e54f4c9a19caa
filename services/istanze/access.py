"""Who may fill a procedure now: the login it requires, and its online window."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts.spid.views import AUTH_LEVEL_SESSION_KEY, AUTH_METHOD_SESSION_KEY

from .registry import METHOD_NAMES, Procedure


@dataclass
class Refusal:
    reason: str  # "login", "window" or "eligibility"
    message: str
    login_level: int = 0
    links: tuple = ()  # (label, url): where to put things right, e.g. pay what is owed


def session_login(request) -> tuple[str, int]:
    """("spid" | "cie" | "cns" | "local", level) of this session: the level the identity provider asserted (CIE's
    card and PIN is level 3, its app or credentials less; a CNS is level 2)."""
    method = request.session.get(AUTH_METHOD_SESSION_KEY, "local")
    level = int(request.session.get(AUTH_LEVEL_SESSION_KEY, 0) or 0)
    return method, level


def login_refusal(request, procedure: Procedure) -> Refusal | None:
    method, level = session_login(request)
    attested = [m for m in procedure.login_methods if m in METHOD_NAMES]
    if method == "local":
        if procedure.allow_local_accounts:
            return None
        return Refusal("login", _("Per questo servizio serve l'accesso %(audience)s.") % {"audience": procedure.audience},
                       procedure.spid_level)
    if method == "eidas" and "eidas" not in attested:
        return Refusal("login", _("Questo servizio richiede un codice fiscale italiano, che l'accesso con eIDAS non "
                                  "fornisce. Se lo hai, accedi con SPID, CIE o CNS; se non lo hai, puoi chiederlo "
                                  "all'Agenzia delle Entrate oppure presentare la domanda allo sportello del Comune."),
                       procedure.spid_level)
    if method not in attested:
        return Refusal("login", _("Questo servizio non accetta l'accesso con %(method)s: serve l'accesso %(audience)s.")
                       % {"method": METHOD_NAMES.get(method, method), "audience": procedure.audience}, procedure.spid_level)
    if level < procedure.spid_level:
        return Refusal(
            "login",
            _("Per questo servizio serve SPID o CIE di livello %(level)s: accedi di nuovo.") % {"level": procedure.spid_level},
            procedure.spid_level,
        )
    return None


def window_refusal(procedure: Procedure, now=None) -> Refusal | None:
    state = procedure.window_state(now)
    if state == "open":
        return None
    opens_at, closes_at = procedure.window()
    fmt = "%d/%m/%Y alle %H:%M"
    when = {
        "opens": timezone.localtime(opens_at).strftime(fmt) if opens_at else "",
        "closes": timezone.localtime(closes_at).strftime(fmt) if closes_at else "",
    }
    if state == "not_yet":
        message = _("La domanda online si potrà presentare dal %(opens)s") % when
        if closes_at:
            message += _(" al %(closes)s") % when
        return Refusal("window", message + ".")
    message = _("Il termine per presentare la domanda online è scaduto il %(closes)s.") % when
    return Refusal("window", message)


def eligibility_refusal(request, procedure: Procedure) -> Refusal | None:
    """The procedure's own rule on who may apply now, e.g. no school services while in arrears."""
    return procedure.eligibility(request.user) if procedure.eligibility else None


def refusal_for(request, procedure: Procedure, *, new: bool = True) -> Refusal | None:
    """Login always; the window and the procedure's eligibility only for a new application (not an integration)."""
    refusal = login_refusal(request, procedure)
    if refusal or not new:
        return refusal
    return window_refusal(procedure) or eligibility_refusal(request, procedure)
