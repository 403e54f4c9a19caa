import base64

import pytest

from services.accounts.models import User
from services.accounts.spid.demo_identities import DEMO_IDENTITIES
from tests.accounts.saml_helpers import full_login, idp_response, start_login


def _decode(fields):
    return base64.b64decode(fields["SAMLResponse"]).decode()


def _encode(xml):
    return base64.b64encode(xml.encode()).decode()


def _assert_refused(response, text="non è valida"):
    assert response.status_code == 403
    assert text in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not User.objects.filter(fiscal_code__isnull=False).exists()


def test_tampered_response_is_refused(client, db):
    fields = idp_response(client, start_login(client))
    fields["SAMLResponse"] = _encode(_decode(fields).replace("Rossi", "Verdi"))
    _assert_refused(client.post("/spid/acs/", fields))


def test_unsigned_response_is_refused(client, db):
    import re

    fields = idp_response(client, start_login(client))
    xml = re.sub(r"<ds:Signature.*?</ds:Signature>", "", _decode(fields), flags=re.S)
    fields["SAMLResponse"] = _encode(xml)
    _assert_refused(client.post("/spid/acs/", fields))


def test_replayed_response_is_refused(client, db):
    fields = idp_response(client, start_login(client))
    assert client.post("/spid/acs/", fields).status_code == 302
    client.logout()
    response = client.post("/spid/acs/", fields)
    assert response.status_code == 403


def test_unsolicited_response_is_refused(client, db):
    fields = idp_response(client, start_login(client))
    other = client.__class__()
    _assert_refused(other.post("/spid/acs/", fields))


def test_lower_level_than_requested_is_refused(client, db):
    response = full_login(client, level=2, idp_level=1)
    _assert_refused(response, "livello di sicurezza SPID più alto")


def test_higher_level_than_requested_is_accepted(client, db):
    assert full_login(client, level=1, idp_level=3).status_code == 302


@pytest.mark.parametrize("field, value", [("acs", "http://testserver/altro-acs/")])
def test_wrong_destination_is_refused(client, db, field, value):
    fields = start_login(client)
    client.post("/demo-idp/sso/", fields)
    session = client.session
    pending = session["demo_idp_request"]
    pending[field] = value
    session["demo_idp_request"] = pending
    session.save()
    response = client.post("/demo-idp/sso/login/", {"identity": "maria.rossi", "level": 2})
    from tests.accounts.saml_helpers import form_fields

    _, saml_fields = form_fields(response)
    _assert_refused(client.post("/spid/acs/", saml_fields))


def test_wrong_check_character_in_codice_fiscale_is_refused(client, db, monkeypatch):
    person = dict(DEMO_IDENTITIES["maria.rossi"], fiscalNumber="TINIT-RSSMRA85C52H501X")
    monkeypatch.setitem(DEMO_IDENTITIES, "maria.rossi", person)
    assert full_login(client).status_code == 403
    assert not User.objects.filter(fiscal_code__isnull=False).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/", "javascript:alert(1)"])
def test_open_redirect_in_next_is_neutralised(client, db, target):
    response = full_login(client, next_url=target)
    assert response.status_code == 302 and response["Location"] == "/area-personale/"


def test_login_lands_back_in_the_procedure(client, db):
    response = full_login(client, next_url="/servizi/educazione-e-formazione/iscrizione-oepac/")
    assert response["Location"] == "/servizi/educazione-e-formazione/iscrizione-oepac/"


def test_later_login_refreshes_the_profile(client, db, monkeypatch):
    full_login(client)
    client.logout()
    person = dict(DEMO_IDENTITIES["maria.rossi"], email="nuova@example.it")
    monkeypatch.setitem(DEMO_IDENTITIES, "maria.rossi", person)
    full_login(client)
    assert User.objects.get(fiscal_code="RSSMRA85C52H501N").email == "nuova@example.it"
    assert User.objects.filter(fiscal_code="RSSMRA85C52H501N").count() == 1


def test_unsigned_authn_request_is_refused_by_the_demo_idp(client, db):
    fields = start_login(client)
    import re

    xml = base64.b64decode(fields["SAMLRequest"]).decode()
    fields["SAMLRequest"] = base64.b64encode(re.sub(r"<ds:Signature.*?</ds:Signature>", "", xml, flags=re.S).encode()).decode()
    assert client.post("/demo-idp/sso/", fields).status_code == 400
