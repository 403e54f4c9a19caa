"""Area scuola → Iscrizioni OEPAC: the enrollments of the school's own pupils, for its users with the OEPAC function.
The health documents stay with the Municipio, unless the Comune granted the school access and its Master gave the
function *Documentazione sanitaria OEPAC* to the user: then each one is offered, and every read is logged."""


from django.contrib.auth.decorators import login_required
from django.http import Http404

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.istanze import actions as istanze_actions
from services.istanze.models import Attachment
from services.istanze.views import file_response
from services.schools import selectors as schools
from services.schools.models import SchoolFunction

from .models import Enrollment


def _role(request, code):
    role = schools.role_for(request.user, code, SchoolFunction.OEPAC)
    if role is None:  # another school's, or a user without the function: as if it did not exist
        raise Http404
    return role


def _enrollments(role):
    return (Enrollment.objects.filter(school_id=role.school_id).select_related("organisation", "istanza", "school")
            .order_by("-active", "pupil_name"))


def _health_documents(rows) -> dict[int, list[Attachment]]:
    """{istanza id: its health documents} for these enrollments, in one query."""
    documents: dict[int, list[Attachment]] = {}
    attachments = Attachment.objects.filter(istanza_id__in=[r.istanza_id for r in rows], sensitive=True,
                                            kind=Attachment.Kind.CITIZEN).only("public_id", "istanza_id", "label", "original_name")
    for attachment in attachments:
        documents.setdefault(attachment.istanza_id, []).append(attachment)
    return documents


@login_required
@private_no_store
def school_enrollments(request, code):
    role = _role(request, code)
    rows = list(_enrollments(role))
    counts = {"active": sum(r.active for r in rows), "ended": sum(not r.active for r in rows)}
    health = role.has_function(SchoolFunction.OEPAC_HEALTH)
    if health:
        documents = _health_documents(rows)
        for row in rows:
            row.health_documents = documents.get(row.istanza_id, [])
    return area.render_area(request, "scuola", "oepac/school_enrollments.html",
                            {"school": role.school, "enrollments": rows, "counts": counts, "health": health})


@login_required
@private_no_store
def school_health_document(request, code, public_id):
    """A health document of one of the school's own pupils, for a user given the function; the read is logged."""
    role = _role(request, code)
    if not role.has_function(SchoolFunction.OEPAC_HEALTH):
        raise Http404
    school_istanze = Enrollment.objects.filter(school_id=role.school_id).values("istanza_id")
    attachment = (Attachment.objects.filter(public_id=public_id, sensitive=True, kind=Attachment.Kind.CITIZEN,
                                            istanza_id__in=school_istanze).first())
    if attachment is None:
        raise Http404
    return file_response(attachment, istanze_actions.attachment_read(attachment=attachment, by=request.user))


@login_required
@private_no_store
def school_enrollments_csv(request, code):
    role = _role(request, code)
    return csv_response(f"iscrizioni-oepac-{role.school.code}.csv",
                        ["Alunno", "Codice fiscale", "Ordine di scuola", "Anno scolastico", "Organismo", "Stato", "Pratica", "Dal"],
                        ([row.pupil_name, row.pupil_fiscal_code, row.school.get_order_display(), row.school_year,
                          row.organisation.name if row.organisation else "", "attiva" if row.active else "conclusa",
                          row.istanza.number or "", row.created_at.strftime("%d/%m/%Y")] for row in _enrollments(role)))
