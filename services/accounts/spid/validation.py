"""The checks the SPID rules add to SAML's own (pysaml2 verifies signatures, audience, InResponseTo, times).

Each problem is a short English reason for the log; none carries personal data.
"""

from datetime import UTC, datetime, timedelta

from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT

SKEW = timedelta(minutes=2)


def _when(text):
    if not text:
        return None
    text = text.rstrip("Z").split(".")[0]
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


def spid_response_problems(response, *, acs_url: str, requested_at: datetime | None, now: datetime | None = None) -> list[str]:
    now = now or datetime.now(UTC)
    problems = []
    message = response.response
    if message.destination != acs_url:
        problems.append("response destination")
    if message.issuer is not None and message.issuer.format not in (None, NAMEID_FORMAT_ENTITY):
        problems.append("response issuer format")
    assertion = response.assertion
    if assertion is None:
        return problems + ["no assertion"]
    if assertion.version != "2.0":
        problems.append("assertion version")
    issued = _when(assertion.issue_instant)
    if issued is None or issued > now + SKEW or (requested_at and issued < requested_at - SKEW):
        problems.append("assertion issue instant")
    if assertion.issuer is None or assertion.issuer.format != NAMEID_FORMAT_ENTITY:
        problems.append("assertion issuer format")
    name_id = assertion.subject.name_id if assertion.subject else None
    if name_id is None or not (name_id.text or "").strip():
        problems.append("name id")
    elif name_id.format != NAMEID_FORMAT_TRANSIENT or not name_id.name_qualifier:
        problems.append("name id format or qualifier")
    confirmations = assertion.subject.subject_confirmation if assertion.subject else []
    data = confirmations[0].subject_confirmation_data if confirmations else None
    if data is None or data.recipient != acs_url or not data.not_on_or_after:
        problems.append("subject confirmation data")
    conditions = assertion.conditions
    if conditions is None or not conditions.not_before or not conditions.not_on_or_after:
        problems.append("conditions")
    return problems
