"""FAQ entries, for services that point citizens to answers (the URP desk) without importing the CMS.

The CMS owns the FAQ and registers a provider from its `AppConfig.ready()`:

    faq.register_provider(MyProvider())

A provider searches the published entries, lists a service's entries and takes proposals of new ones, which
editors review before they are published.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FaqEntry:
    id: int
    question: str
    answer_html: str
    url: str  # where the entry is published
    topic: str = ""
    service_slug: str = ""


class FaqProvider(Protocol):
    def search(self, query: str, *, limit: int = 10) -> list[FaqEntry]: ...

    def for_service(self, slug: str) -> list[FaqEntry]: ...

    def get(self, entry_id: int) -> FaqEntry | None: ...

    def propose(self, *, question: str, answer: str, service_slug: str = "", proposed_by: str = "") -> int: ...


class NoFaq:
    """No CMS installed: nothing to find, proposals refused."""

    def search(self, query, *, limit=10):
        return []

    def for_service(self, slug):
        return []

    def get(self, entry_id):
        return None

    def propose(self, *, question, answer, service_slug="", proposed_by=""):
        raise LookupError("no FAQ provider is registered")


_provider: FaqProvider = NoFaq()


def register_provider(provider: FaqProvider) -> None:
    global _provider
    _provider = provider


def provider() -> FaqProvider:
    return _provider
