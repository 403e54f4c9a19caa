"""Procedures register themselves here; the engine knows none of them by name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class Step:
    name: str  # the step's key in the wizard and in Istanza.data
    title: str  # shown in the stepper and as the summary section
    form: type  # a Form or FormSet class
    condition: Callable | None = None  # (wizard) -> bool, e.g. steps only for a "variazione"


@dataclass(frozen=True)
class Procedure:
    code: str  # e.g. SERV06_UTENTI: the prefix of the application numbers
    title: str
    category: str
    description: str = ""
    version: int = 1
    steps: tuple = ()  # Step, in order
    spid_level: int = 2  # the lowest SPID level accepted (CIE counts as level 3)
    allow_local_accounts: bool = False  # portal credentials (no SPID/CIE) may use it
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    route_office: Callable | None = None  # (istanza) -> Office | None
    completion_working_days: int = 30
    retention_days: int = 365 * 5
    draft_retention_days: int = 30
    service_slug: str = ""  # the ServicePage that describes it; its online window is the procedure's
    prefill: Callable | None = None  # (user) -> {step: initial}
    receipt_recipients: Callable | None = None  # (istanza) -> extra e-mail addresses for the receipt
    confirmation_notes: Callable | None = None  # (istanza) -> [str], shown after submission and on the receipt
    outcome_form: type | None = None  # form the office fills when accepting (e.g. the OEPAC organisation)
    on_transition: Callable | None = None  # (istanza, event, outcome: dict) -> None, inside the transaction
    eligibility: Callable | None = None  # (user) -> access.Refusal | None, for new applications: start, steps, Invia
    extra: dict = field(default_factory=dict)

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The online window: settings.PROCEDURE_WINDOWS (code -> [opens, closes] ISO strings) first, then
        the live service page's window that editors set in the CMS, then the dates in the code."""
        from django.conf import settings
        from django.utils.dateparse import parse_datetime

        configured = getattr(settings, "PROCEDURE_WINDOWS", {}).get(self.code)
        if configured is not None:
            return tuple(parse_datetime(v) if v else None for v in configured)
        page = self.service_page()
        if page is not None:
            return page["online_opens_at"], page["online_closes_at"]
        return self.opens_at, self.closes_at

    def service_page(self) -> dict | None:
        """URL and window of the live service page, kept per process until the next publish."""
        if not self.service_slug:
            return None
        from home.cache import current_generation, local_cache
        from home.models.services import ServicePage

        key = f"procedure-page:{self.service_slug}:{current_generation()}"
        found = local_cache().get(key)
        if found is None:
            page = ServicePage.objects.live().filter(slug=self.service_slug).first()
            found = {"url": page.url, "online_opens_at": page.online_opens_at, "online_closes_at": page.online_closes_at} if page else {}
            local_cache().set(key, found)
        return found or None

    @property
    def service_url(self) -> str:
        page = self.service_page()
        return page["url"] if page else ""

    def window_state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        opens_at, closes_at = self.window()
        if opens_at and now < opens_at:
            return "not_yet"
        if closes_at and now >= closes_at:
            return "closed"
        return "open"

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


_registry: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    if procedure.code in _registry and _registry[procedure.code] != procedure:
        raise ValueError(f"procedure {procedure.code} registered twice")
    _registry[procedure.code] = procedure
    return procedure


def unregister(code: str) -> None:
    _registry.pop(code, None)


def get(code: str) -> Procedure:
    return _registry[code]


def catalogue() -> list[Procedure]:
    return sorted(_registry.values(), key=lambda p: (p.category, p.title))
