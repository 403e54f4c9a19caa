"""The applications engine's metric: applications submitted per procedure (counted as the kernel announces them)."""

from prometheus_client import Counter

from .states import Status

SUBMITTED = Counter("sportello_applications_submitted_total", "Applications submitted, by procedure.", ["procedure"])


def on_transition(sender, pk, from_state, to_state, **kwargs):
    if to_state == Status.INVIATA:
        procedure = sender.objects.filter(pk=pk).values_list("procedure_code", flat=True).first()
        SUBMITTED.labels(procedure=procedure or "unknown").inc()
