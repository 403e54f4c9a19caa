"""The demo Comune's protocol register: the ente's identifiers on the DocArea sandbox, and, once the other loaders
made their applications and requests, every document they produced registered — but one, which the sandbox refuses
and which waits in *Protocollo › Protocollazioni* for an operator."""

from django.conf import settings
from django.test.utils import override_settings

from services.core import ente

from . import actions, sandbox
from .models import Profile, Registration
from .states import Status

DEMO_AOO = "AOO_VALF"
DEMO_REGISTER = "PG"
REFUSAL = "Classificazione 1.5 non abilitata per la UOR indicata"


def load_profile(context) -> int:
    if Profile.objects.filter(scope="").exists():
        return 0
    Profile.objects.create(scope="", ipa=ente.ipa_code() or "c_z999", aoo=DEMO_AOO, register=DEMO_REGISTER,
                           office="Ufficio protocollo")
    return 1


def load_registrations(context) -> int:
    """Send what the loaders left pending, in this process (the site that serves the sandbox is not up yet)."""
    if not settings.PROTOCOL_ADAPTER or not settings.PROTOCOL_SANDBOX_ENABLED:
        return 0
    pending = list(Registration.objects.filter(status=Status.PENDING).order_by("pk"))
    if not pending:
        return 0
    Registration.objects.filter(pk__in=[r.pk for r in pending]).update(next_attempt_at=None, attempts=0, last_error="")
    refused = next((r for r in reversed(pending) if r.kind == "risposta"), pending[-1])
    with override_settings(PROTOCOL_TRANSPORT="wsgi"):
        for registration in pending:
            if registration.pk == refused.pk:
                sandbox.set_faults(refuse=REFUSAL)
            try:
                actions.registration_send(registration.pk)
            finally:
                sandbox.set_faults(refuse="")
    return len(pending)
