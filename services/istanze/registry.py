"""Procedures register themselves here; the engine knows none of them by name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.catalogue import modules
from services.catalogue import selectors as service_catalogue

METHOD_NAMES = {"spid": "SPID", "cie": "CIE", "cns": "CNS", "eidas": "eIDAS"}


def join_or(names: list[str]) -> str:
    """«SPID, CIE o CNS»."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {_('o')} {names[-1]}"


@dataclass(frozen=True)
class Step:
    name: str  # the step's key in the wizard and in Istanza.data
    title: str  # shown in the stepper and as the summary section
    form: type  # a Form or FormSet class
    condition: Callable | None = None  # (wizard) -> bool, e.g. steps only for a "variazione"
    when: str = ""  # for a conditional step, when it applies, as the start page tells the citizen ("per una variazione")


@dataclass(frozen=True)
class Procedure:
    code: str  # e.g. SERV06_UTENTI: the prefix of the application numbers
    title: str
    category: str
    description: str = ""
    version: int = 1
    steps: tuple = ()  # Step, in order
    spid_level: int = 2  # the lowest level accepted (SPID or CIE as asserted by the provider; a CNS is level 2)
    allow_local_accounts: bool = False  # portal credentials (no SPID/CIE) may use it
    login_methods: tuple = ("spid", "cie", "cns")  # the identity providers accepted ("eidas" only without a codice fiscale)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    route_office: Callable | None = None  # (istanza) -> Office | None
    completion_working_days: int = 30
    retention_days: int = 365 * 5
    draft_retention_days: int = 30
    prefill: Callable | None = None  # (user) -> {step: initial}
    receipt_recipients: Callable | None = None  # (istanza) -> extra e-mail addresses for the receipt
    confirmation_notes: Callable | None = None  # (istanza) -> [str], shown after submission and on the receipt
    outcome_form: type | None = None  # form the office fills when accepting (e.g. the OEPAC organisation)
    on_transition: Callable | None = None  # (istanza, event, outcome: dict) -> None, inside the transaction
    # (istanza, to_status) -> str: what a state means for this procedure, told to the office and in the citizen's message
    # (e.g. "Elena Conti è ora l'Utente Master della scuola: entra in Area scuola …"); "" when nothing more to say
    outcome_notes: Callable | None = None
    # (istanza) -> [str]: what holds now for this application, on its page for the citizen and the office (e.g. "the
    # sheet this one depends on changed after it was sent"); [] when nothing
    notices: Callable | None = None
    eligibility: Callable | None = None  # (user) -> access.Refusal | None, for new applications: start, steps, Invia
    fee: Callable | None = None  # (istanza) -> Decimal | None: paid with pagoPA at Invia (fees.py), None or 0 for nothing
    test: bool = False  # a procedure an editor is trying: its applications end in PROVA, never numbered or routed
    extra: dict = field(default_factory=dict)

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The online window, as the service catalogue gives it (override, service page, then the code)."""
        window = service_catalogue.module_window(self.code)
        return window.opens_at, window.closes_at

    @property
    def audience(self) -> str:
        """Who may use it, as the editor's chooser of online modules says."""
        names = [METHOD_NAMES[m] for m in self.login_methods if m in METHOD_NAMES]
        if self.allow_local_accounts:
            names.append(str(_("credenziali del portale")))
        return str(_("con %(methods)s")) % {"methods": join_or(names)}

    @property
    def service_url(self) -> str:
        """The address of the service page that describes the procedure, or ""."""
        return service_catalogue.module_service_url(self.code)

    def window_state(self, now: datetime | None = None) -> str:
        return service_catalogue.module_window(self.code).state(now)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


_registry: dict[str, Procedure] = {}
# Procedures kept elsewhere (those built in the admin): (lookup(code, version) -> Procedure | None, listing() -> [Procedure])
_sources: list[tuple[Callable, Callable]] = []


def add_source(lookup: Callable, listing: Callable) -> None:
    """Procedures not written in code: `lookup(code, version)` gives one (version None: the current one) or None;
    `listing()` the current ones, for the catalogue."""
    if (lookup, listing) not in _sources:
        _sources.append((lookup, listing))


def register(procedure: Procedure) -> Procedure:
    """Called from the procedure app's `ready()`; the procedure is also an online module of the catalogue."""
    if procedure.code in _registry and _registry[procedure.code] != procedure:
        raise ValueError(f"procedure {procedure.code} registered twice")
    _registry[procedure.code] = procedure
    modules.register(module_of(procedure))
    return procedure


def module_of(procedure: Procedure) -> modules.Module:
    """The procedure as an online module of the service catalogue."""
    from .panels import procedure_panel

    return modules.Module(
        key=procedure.code, label=procedure.title, url=lambda: reverse("istanze:start", args=[procedure.code]),
        audience=procedure.audience, opens_at=procedure.opens_at, closes_at=procedure.closes_at,
        panel=procedure_panel(procedure.code))


def unregister(code: str) -> None:
    _registry.pop(code, None)
    modules.unregister(code)


def get(code: str, version: int | None = None) -> Procedure:
    """The procedure; for one with versions, the one an application was started under (`version`) or the current."""
    if code in _registry:
        return _registry[code]
    for lookup, _listing in _sources:
        procedure = lookup(code, version)
        if procedure is not None:
            return procedure
    raise KeyError(code)


def for_istanza(istanza) -> Procedure:
    return get(istanza.procedure_code, istanza.procedure_version)


def catalogue() -> list[Procedure]:
    listed = list(_registry.values()) + [p for _lookup, listing in _sources for p in listing()]
    return sorted(listed, key=lambda p: (p.category, p.title))
