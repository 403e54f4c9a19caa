"""Requests to the URP in the Comune's protocol register (issue 31), where the ente turns it on (an active protocol
profile "URP"): the request as it reaches the desk (inbound, with the citizen's attachment) and each reply of the
office (outbound)."""

from django.utils.translation import gettext as _

from services.protocol.port import Attachment, Correspondent, Document

from .models import AssistanceRequest, ThreadEntry

SCOPE = "urp"


def document(request: AssistanceRequest, kind: str) -> Document:
    if kind == "richiesta":
        subject = _("Richiesta di assistenza %(number)s: %(category)s") % {"number": request.number,
                                                                           "category": request.category_label}
        text = f"{subject}\n\n{request.message}\n"
        attachments = ()
        if request.attachment:
            with request.attachment.open("rb") as handle:
                attachments = (Attachment(request.attachment_name or "allegato", handle.read(),
                                          request.attachment_type or "application/octet-stream"),)
        direction = "in"
    else:
        reply = request.entries.filter(kind=ThreadEntry.Kind.REPLY).order_by("-created_at", "-pk").first()
        subject = _("Risposta alla richiesta di assistenza %(number)s") % {"number": request.number}
        text = f"{subject}\n\n{getattr(reply, 'body', '')}\n"
        attachments, direction = (), "out"
    requester = request.requester
    # a fiscal code counts only when an identity provider vouched for it: the signed-in requester's, never one typed
    fiscal_code = getattr(requester, "fiscal_code", "") or ""
    return Document(direction=direction, subject=subject,
                    correspondent=Correspondent(name=f"{request.first_name} {request.last_name}".strip(),
                                                given_name=request.first_name, family_name=request.last_name,
                                                fiscal_code=fiscal_code, email=request.email),
                    main=Attachment(f"{kind}-{request.number}.txt", text.encode(), "text/plain"),
                    attachments=attachments, office=request.office.name, profile=SCOPE)


def scopes() -> list[tuple[str, str]]:
    return [(SCOPE, _("URP: richieste di assistenza e risposte"))]


def register() -> None:
    from services.protocol.sources import register_source

    register_source(AssistanceRequest, events={}, document=document, scopes=scopes, scope_of=lambda request: SCOPE,
                    opt_in=True)


def arrived(request: AssistanceRequest) -> None:
    from services.protocol.actions import document_event

    document_event(request, kind="richiesta", direction="in", ref="arrivo")


def replied(request: AssistanceRequest, entry: ThreadEntry) -> None:
    from services.protocol.actions import document_event

    document_event(request, kind="risposta", direction="out", ref=entry.pk)
