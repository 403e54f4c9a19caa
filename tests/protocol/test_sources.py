"""What the ente registers (issue 31): the URP's requests and replies only where it turned the URP on; a procedure
whose protocol profile is switched off registers nothing; the profiles fill in where each document goes."""

import pytest

from services.assistance import actions as assistance
from services.protocol import profiles
from services.protocol.models import Profile, Registration
from services.protocol.port import Correspondent, Document
from services.protocol.states import Status as R
from tests.assistance.test_requests import _request
from tests.istanze.helpers import submitted
from tests.protocol.conftest import profile

pytestmark = pytest.mark.django_db


def test_the_urp_is_registered_only_where_the_ente_turned_it_on(urp, recorder, django_capture_on_commit_callbacks):
    Profile.objects.filter(scope="urp").delete()  # the demo Comune turned it on
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    assert not Registration.objects.exists()
    profile("urp", classification="1.6", office="URP")
    with django_capture_on_commit_callbacks(execute=True):
        request = _request()
    with django_capture_on_commit_callbacks(execute=True):
        assistance.reply_send(request=request, body="Il modulo è sul sito.", by=urp, resolve=True)
    rows = list(Registration.objects.order_by("pk").values_list("kind", "direction", "status"))
    assert rows == [("richiesta", "in", R.REGISTERED), ("risposta", "out", R.REGISTERED)]
    documents = [document for _result, document in recorder.stored.values()]
    assert documents[0].classification == "1.6" and documents[0].office == "URP" and request.number in documents[0].subject
    assert b"Il modulo" in documents[1].main.content
    assert documents[0].correspondent.fiscal_code == ""  # typed by an anonymous requester: never sent as proven


def test_a_procedure_switched_off_registers_nothing(citizen, test_procedure, recorder, django_capture_on_commit_callbacks):
    profile(test_procedure.code, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(citizen)
    assert not Registration.objects.exists()


def test_the_profiles_fill_in_field_by_field():
    profile("", ipa="c_z999", aoo="AOO_VALF", register="PG", classification="1.1", office="Protocollo")
    profile("urp", classification="1.6")
    document = profiles.completed(Document(direction="in", subject="x", correspondent=Correspondent("A"), office="URP",
                                           profile="urp"))
    assert (document.ipa, document.aoo, document.register) == ("c_z999", "AOO_VALF", "PG")
    assert document.classification == "1.6" and document.office == "Protocollo"  # the ente's office, as its register names it
    assert document.administration  # the Comune's name


def test_the_scopes_offered_in_the_admin_name_the_procedures_and_the_urp(test_procedure):
    from services.protocol.sources import scope_choices

    choices = dict(scope_choices())
    assert "" in choices and "urp" in choices and test_procedure.code in choices
