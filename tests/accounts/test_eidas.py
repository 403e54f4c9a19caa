"""eIDAS through the SPID service provider (issue 29): the attribute sets 99 and 100 in our metadata, *Login with
eIDAS* asking the node (the demo IdP stands in for it) for set 99, an account keyed on the eIDAS identifier with no
codice fiscale, and procedures that need one refusing with an explanation."""

import base64
import html

from django.urls import reverse

import pytest
from lxml import etree

from services.accounts.models import LoginEvent, User
from tests.accounts.saml_helpers import idp_response, start_login

pytestmark = pytest.mark.django_db
MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"


def eidas_login(client, person="lena.schmidt", next_url="/area-personale/", level=2):
    fields = idp_response(client, start_login(client, next_url, level, method="eidas"), person, level)
    return client.post("/spid/acs/", fields)


def test_our_metadata_declares_the_two_eidas_attribute_sets(client):
    root = etree.fromstring(client.get("/spid/metadata/").content)
    services = {s.get("index"): s for s in root.iter(f"{MD}AttributeConsumingService")}
    assert set(services) == {"0", "99", "100"}
    names = {index: [a.get("Name") for a in s.iter(f"{MD}RequestedAttribute")] for index, s in services.items()}
    assert names["99"] == ["spidCode", "name", "familyName", "dateOfBirth"]
    assert set(names["100"]) == set(names["99"]) | {"placeOfBirth", "gender", "address"}
    assert services["99"].find(f"{MD}ServiceName").text == "eIDAS Natural Person Minimum Attribute Set"


def test_without_an_eidas_node_configured_there_is_no_button_and_no_sets(client, settings):
    settings.SPID_EIDAS_ENTITY_ID = ""
    assert "eidas-access-button" not in client.get(reverse("accounts:login")).content.decode()
    root = etree.fromstring(client.get("/spid/metadata/").content)
    assert [s.get("index") for s in root.iter(f"{MD}AttributeConsumingService")] == ["0"]


def test_login_with_eidas_asks_for_set_99(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Login with eIDAS" in page and "metodo=eidas" in html.unescape(page)
    fields = start_login(client, method="eidas")
    request = etree.fromstring(base64.b64decode(fields["SAMLRequest"]))
    assert request.get("AttributeConsumingServiceIndex") == "99"


def test_an_eu_citizen_signs_in_without_a_codice_fiscale(client):
    response = eidas_login(client)
    assert response.status_code == 302 and response["Location"] == "/area-personale/"
    lena = User.objects.get(eidas_identifier="DE/IT/7c1e0b9a44d2f6e3a5b8")
    assert lena.fiscal_code is None and not lena.fiscal_code_attested and not lena.fiscal_code_trusted
    assert (lena.first_name, lena.last_name, str(lena.date_of_birth), lena.assurance_level) == (
        "Lena", "Schmidt", "1987-06-21", 2)
    assert not lena.has_usable_password()
    event = LoginEvent.objects.get(user=lena)
    assert (event.method, event.level) == ("eidas", "L2")
    assert client.session["auth_method"] == "eidas"
    page = html.unescape(client.get("/area-personale/").content.decode())
    assert "identità digitale europea (eIDAS)" in page


def test_a_second_login_finds_the_same_account(client):
    eidas_login(client)
    client.post(reverse("accounts:logout"))
    eidas_login(client)
    assert User.objects.filter(eidas_identifier="DE/IT/7c1e0b9a44d2f6e3a5b8").count() == 1


@pytest.mark.parametrize("path", [
    "/area-personale/", "/area-personale/impostazioni/", "/area-personale/pratiche/", "/area-personale/pagamenti/",
    "/area-personale/conto-mensa/", "/area-personale/messaggi/", "/area-personale/documenti/",
    "/area-personale/impostazioni/messaggi/", "/area-personale/scuola/", "/area-personale/pratiche/nuova/",
])
def test_every_personal_page_works_for_an_account_without_a_codice_fiscale(client, path):
    eidas_login(client)
    response = client.get(path)
    assert response.status_code in (200, 302, 403), (path, response.status_code)


def test_a_procedure_that_needs_a_codice_fiscale_explains_why_it_refuses(client):
    eidas_login(client)
    response = client.get("/area-personale/pratiche/nuova/OEPAC/")
    assert response.status_code == 403
    assert "richiede un codice fiscale italiano" in html.unescape(response.content.decode())


def test_an_eidas_answer_from_an_ordinary_spid_provider_signs_nobody_in(client, settings):
    settings.SPID_EIDAS_ENTITY_ID = "https://eidas.example.invalid/idp"  # the demo IdP is now only a SPID provider
    response = eidas_login(client)
    assert response.status_code == 403
    assert not User.objects.filter(eidas_identifier__isnull=False).exists()


def test_a_spid_login_is_unchanged(client):
    fields = idp_response(client, start_login(client), "maria.rossi", 2)
    request = client.post("/spid/acs/", fields)
    assert request.status_code == 302
    assert User.objects.get(fiscal_code="RSSMRA85C52H501N").eidas_identifier is None
