"""The school registry: administrators keep it in the admin; school services narrow broadcasts by it."""

import pytest

from services.notifications import audiences
from services.schools.models import School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_only_active_schools_can_narrow_a_broadcast():
    open_school, closed_school = SchoolFactory(name="Primaria Aperta"), SchoolFactory(name="Primaria Chiusa", active=False)
    school_filter = next(f for f in audiences.filters() if f.name == "school")
    offered = list(school_filter.queryset())
    assert open_school in offered and closed_school not in offered
    assert audiences.resolve({"school": closed_school.pk})["school"] is None
    assert audiences.resolve({"school": open_school.pk})["school"] == open_school


def test_administrators_find_a_school_by_its_code(client, superuser):
    SchoolFactory(name="Primaria Leopardi", code="ANEE12345X")
    SchoolFactory(name="Primaria Carducci")
    client.force_login(superuser)
    page = client.get("/admin/snippets/schools/school/", {"q": "ANEE12345X"}).content.decode()
    assert "Primaria Leopardi" in page and "Primaria Carducci" not in page


def test_office_operators_cannot_edit_the_registry(client, db):
    from services.accounts.models import Office
    from tests.istanze.helpers import make_operator

    Office.objects.get_or_create(slug="ufficio-scuola", defaults={"name": "Ufficio Scuola"})
    operator = make_operator("sara", "ufficio-scuola")
    client.force_login(operator)
    school = SchoolFactory()
    assert client.get(f"/admin/snippets/schools/school/edit/{school.pk}/").status_code in (302, 403)
    assert School.objects.get(pk=school.pk).name == school.name
