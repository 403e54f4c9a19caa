import pytest

from services.protocol import port
from tests.assistance.test_requests import catalogue, urp  # noqa: F401 - the URP desk and its catalogue
from tests.istanze.conftest import citizen, test_procedure  # noqa: F401 - the engine's test procedure and its citizen


class Recorder(port.Adapter):
    """A protocol system in memory: numbers in sequence, the documents it got, and faults on demand."""

    code = "prova"
    label = "Sistema di prova"

    def __init__(self):
        self.stored, self.register_calls, self.faults = {}, 0, []

    def register(self, document, *, key):
        self.register_calls += 1
        fault = self.faults.pop(0) if self.faults else None
        if fault == "refused":
            raise port.ProtocolRefused("Classificazione sconosciuta al sistema di protocollo.")
        if fault == "down":
            raise port.ProtocolUnavailable("HTTP 500")
        if fault == "garbage":
            return port.Registered(number="ABC", on=None)
        from django.utils import timezone

        result = port.Registered(number=f"{len(self.stored) + 1:07d}", on=timezone.localdate(), register="PG", aoo="AOO1",
                                 ipa="c_a271")
        self.stored[key] = (result, document)
        if fault == "lost":  # stored, but the answer never came back (a timeout after the system registered it)
            raise port.ProtocolUnavailable("ReadTimeout")
        return result

    def lookup(self, *, key):
        found = self.stored.get(key)
        return found[0] if found else None


@pytest.fixture
def recorder(settings):
    adapter = Recorder()
    port.register_adapter(adapter)
    settings.PROTOCOL_ADAPTER = adapter.code
    settings.PROTOCOL_RETRY_SECONDS = 0
    yield adapter
    port._adapters.pop(adapter.code, None)


def profile(scope: str, **values):
    """The protocol profile of `scope` with exactly these values (the demo content may have made one already)."""
    from services.protocol.models import Profile

    fields = {name: "" for name in ("ipa", "aoo", "register", "classification", "file_reference", "office")}
    return Profile.objects.update_or_create(scope=scope, defaults={**fields, "active": True, **values})[0]
