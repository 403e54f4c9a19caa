"""Area scuola → Trasporto scolastico: the school's pupils on the school bus, grouped by class, for its users with the
transport function (CSV too); only the school's own pupils."""


from django.contrib.auth.decorators import login_required
from django.http import Http404

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.schools import selectors as schools
from services.schools.models import SchoolFunction

from .models import TransportEnrollment


def _enrollments(request, code):
    role = schools.role_for(request.user, code, SchoolFunction.TRANSPORT)
    if role is None:  # another school's, or a user without the function
        raise Http404
    rows = (TransportEnrollment.objects.filter(school_id=role.school_id, active=True).select_related("stop__route")
            .order_by("school_class", "last_name", "first_name"))
    return role, list(rows)


@login_required
@private_no_store
def school_transport(request, code):
    role, rows = _enrollments(request, code)
    classes = {}
    for row in rows:
        classes.setdefault(row.school_class or "—", []).append(row)
    return area.render_area(request, "scuola", "transport/school_transport.html",
                            {"school": role.school, "classes": sorted(classes.items()), "total": len(rows)})


@login_required
@private_no_store
def school_transport_csv(request, code):
    role, rows = _enrollments(request, code)
    return csv_response(f"trasporto-{role.school.code}.csv",
                        ["Classe", "Cognome", "Nome", "Anno scolastico", "Percorso", "Fermata", "Direzione"],
                        ([row.school_class, row.last_name, row.first_name, row.school_year, row.stop.route.name, row.stop.name,
                          row.get_direction_display()] for row in rows))
