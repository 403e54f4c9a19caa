from django.contrib.auth import get_user_model

import pytest

from services.accounts.models import Office
from services.istanze import registry


@pytest.fixture(autouse=True)
def test_procedure():
    """A procedure of the engine's own, registered for these tests only (and gone after each)."""
    procedure = registry.register(registry.Procedure(
        code="TEST_PROC", title="Procedura di prova", category="Prove", completion_working_days=30,
        route_office=lambda istanza: Office.objects.get_or_create(slug="municipio-1", defaults={"name": "Municipio I", "kind": Office.Kind.MUNICIPIO})[0],
    ))
    yield procedure
    registry.unregister("TEST_PROC")


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user("RSSMRA85C52H501N", fiscal_code="RSSMRA85C52H501N")
