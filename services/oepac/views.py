"""Area scuola → Iscrizioni OEPAC: the enrollments of the school's own pupils, for its users with the OEPAC function.
No health attachment is shown here: those stay with the Municipio."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from services.accounts import area
from services.core.decorators import private_no_store
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


@login_required
@private_no_store
def school_enrollments(request, code):
    role = _role(request, code)
    rows = list(_enrollments(role))
    counts = {"active": sum(r.active for r in rows), "ended": sum(not r.active for r in rows)}
    return area.render_area(request, "scuola", "oepac/school_enrollments.html",
                            {"school": role.school, "enrollments": rows, "counts": counts})


@login_required
@private_no_store
def school_enrollments_csv(request, code):
    role = _role(request, code)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Alunno", "Codice fiscale", "Ordine di scuola", "Anno scolastico", "Organismo", "Stato", "Pratica", "Dal"])
    for row in _enrollments(role):
        writer.writerow([row.pupil_name, row.pupil_fiscal_code, row.school.get_order_display(), row.school_year,
                         row.organisation.name if row.organisation else "", "attiva" if row.active else "conclusa",
                         row.istanza.number or "", row.created_at.strftime("%d/%m/%Y")])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iscrizioni-oepac-{role.school.code}.csv"'
    return response
