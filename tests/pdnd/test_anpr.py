"""PDND and ANPR (issue 32, first part): the client's voucher and ModI headers as the sandbox checks them, ANPR's
residence and family for each demo family, the three errors, and the access register."""

import datetime
import time

from django.core.cache import cache
from django.test import Client

import pytest

from services.accounts.models import User
from services.core import jose
from services.core.tokens import keyed_hash
from services.pdnd import anpr, client, modi, sandbox
from services.pdnd.models import Consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_sandbox():
    cache.clear()
    yield
    sandbox.set_fault("")


@pytest.fixture
def maria(db):
    return User.objects.create(username="maria", fiscal_code="RSSMRA85C52H501N", fiscal_code_source="spid")


def caller(user=None, reason="Iscrizione al servizio di refezione scolastica", reference="istanza:42"):
    return client.Caller(user=user, reason=reason, reference=reference)


def test_maria_is_resident_in_the_comune_and_giulia_is_her_minor_child(maria):
    home = anpr.residence("RSSMRA85C52H501N", caller(maria))
    assert (home.address, home.municipality, home.in_comune) == ("Via DEI CASTAGNI 12", "VALFIORITA", True)
    members = anpr.family("RSSMRA85C52H501N", caller(maria))
    children = anpr.minor_children(members, datetime.date(2026, 12, 6))
    assert [(c.fiscal_code, c.given_name, c.birth_date) for c in children] == [
        ("RSSGLI18C52A271N", "GIULIA", datetime.date(2018, 3, 12))]
    assert children[0].relationship_label == "figlio/figlia"


@pytest.mark.parametrize("code, children, resident", [
    ("BNCLCU82S02A271A", ["BNCMRC17D03H501D"], True),
    ("RSSSRA90P70F205P", ["RSSTMS16A15H501E", "RSSLCA19E60H501V", "RSSLEO22P02H501D"], True),
    ("CNTLNE72E50H501R", [], False),
])
def test_every_demo_family(code, children, resident):
    assert [c.fiscal_code for c in anpr.minor_children(anpr.family(code, caller()))] == children
    assert anpr.residence(code, caller()).in_comune is resident


def test_someone_not_in_the_registry_is_not_found():
    with pytest.raises(client.NotFound):
        anpr.family("SPSGLI75L65F839U", caller())
    assert Consultation.objects.get().outcome == "not_found"


def test_every_consultation_is_registered_with_its_reason_and_no_codice_fiscale_in_clear(maria):
    anpr.family("RSSMRA85C52H501N", caller(maria))
    rows = list(Consultation.objects.order_by("created_at"))
    assert [r.eservice for r in rows] == ["anpr-C030", "anpr-C021"]
    assert {(r.user_id, r.reason, r.reference, r.outcome) for r in rows} == {
        (maria.pk, "Iscrizione al servizio di refezione scolastica", "istanza:42", "ok")}
    assert all(r.subject == keyed_hash("pdnd-subject", "RSSMRA85C52H501N")[:32] for r in rows)
    assert not any("RSSMRA85C52H501N" in str(vars(r)) for r in rows)


@pytest.mark.parametrize("fault, error", [
    ("errore_500", client.Unavailable), ("risposta_non_json", client.Unavailable),
    ("voucher_rifiutato", client.NotAuthorised), ("non_trovato", client.NotFound),
])
def test_faults_become_the_three_clear_errors(fault, error):
    sandbox.set_fault(fault)
    with pytest.raises(error):
        anpr.residence("RSSMRA85C52H501N", caller())
    assert Consultation.objects.filter(outcome=error.outcome).exists()


def test_a_client_assertion_signed_by_another_key_gets_no_voucher():
    forged = jose.jwk.JWK.generate(kty="RSA", size=2048, kid=modi.client_key().key_id)
    claims = jose.claims_for(iss="sportello-demo-client", sub="sportello-demo-client", lifetime=60,
                             aud="auth.interop.pagopa.it/client-assertion", purposeId="demo-purpose-c030")
    response = Client().post("/pdnd-sandbox/token.oauth2", {
        "client_id": "sportello-demo-client", "grant_type": "client_credentials",
        "client_assertion_type": modi.ASSERTION_TYPE, "client_assertion": jose.sign(claims, forged)})
    assert response.status_code == 401


def _voucher_and_headers(body: bytes, **overrides):
    evidence = modi.tracking_evidence(audience="http://testserver/pdnd-sandbox/anpr", purpose_id="demo-purpose-c030",
                                      user_id="u1", level="substantial")
    with client.http_client() as http:
        token = client.voucher(http, purpose_id="demo-purpose-c030", evidence=evidence)
    digest = modi.body_digest(body)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Digest": digest,
               "Agid-JWT-Signature": modi.integrity_signature(audience="http://testserver/pdnd-sandbox/anpr",
                                                              digest=digest),
               "Agid-JWT-TrackingEvidence": evidence}
    headers.update(overrides)
    return headers


BODY = b'{"criteriRicerca":{"codiceFiscale":"RSSMRA85C52H501N"},"datiRichiesta":{"casoUso":"C030"}}'


def _post(headers, body=BODY):
    with client.http_client() as http:
        return http.post("http://testserver/pdnd-sandbox/anpr/C030", content=body, headers=headers)


def test_the_sandbox_accepts_what_the_client_sends():
    assert _post(_voucher_and_headers(BODY)).status_code == 200


def test_a_body_changed_after_signing_is_refused():
    response = _post(_voucher_and_headers(BODY), body=BODY.replace(b"RSSMRA", b"BNCLCU"))
    assert response.status_code == 403 and "Digest" in response.json()["title"]


def test_a_signature_by_another_key_is_refused():
    other = jose.jwk.JWK.generate(kty="RSA", size=2048, kid=modi.client_key().key_id)
    digest = modi.body_digest(BODY)
    forged = jose.sign(jose.claims_for(iss="x", sub="x", lifetime=60, aud="http://testserver/pdnd-sandbox/anpr",
                                       signed_headers=[{"digest": digest}]), other)
    response = _post(_voucher_and_headers(BODY, **{"Agid-JWT-Signature": forged}))
    assert response.status_code == 403 and response.json()["title"] == "Firma ModI non valida"


def test_tracking_evidence_not_bound_to_the_voucher_is_refused():
    other = modi.tracking_evidence(audience="http://testserver/pdnd-sandbox/anpr", purpose_id="demo-purpose-c030",
                                   user_id="someone-else", level="substantial")
    response = _post(_voucher_and_headers(BODY, **{"Agid-JWT-TrackingEvidence": other}))
    assert response.status_code == 403 and "TrackingEvidence" in response.json()["title"]


def test_a_voucher_for_another_purpose_is_refused():
    headers = _voucher_and_headers(BODY)
    with client.http_client() as http:
        response = http.post("http://testserver/pdnd-sandbox/anpr/C021", content=BODY, headers=headers)
    assert response.status_code == 403


def test_no_voucher_no_data():
    assert _post({"Content-Type": "application/json"}).status_code == 401


def test_a_slow_registry_times_out_over_real_http(live_server, transactional_db, settings):
    settings.PDND_TRANSPORT = ""
    settings.PDND_TIMEOUT = 0.5
    settings.PDND_TOKEN_URL = f"{live_server.url}/pdnd-sandbox/token.oauth2"
    settings.PDND_ANPR_URL = f"{live_server.url}/pdnd-sandbox/anpr"
    sandbox.set_fault("lento")
    with pytest.raises(client.Unavailable):
        anpr.residence("RSSMRA85C52H501N", caller())
    assert Consultation.objects.get().outcome == "unavailable"
    time.sleep(settings.PDND_TIMEOUT + 1)  # let the sandbox finish the answer nobody waits for, while it may use the DB


def test_not_configured_is_not_authorised_and_says_nothing_to_anyone(settings):
    settings.PDND_ANPR_PURPOSES = {"C030": "", "C020": "", "C021": ""}
    with pytest.raises(client.NotAuthorised):
        anpr.family("RSSMRA85C52H501N", caller())


def test_the_sandbox_page_lists_the_families_and_sets_a_fault():
    browser = Client()
    page = browser.get("/pdnd-sandbox/")
    assert page.status_code == 200 and "Famiglia di Sara Russo" in page.content.decode()
    browser.post("/pdnd-sandbox/", {"guasto": "errore_500"})
    assert sandbox.fault() == "errore_500"


def test_the_register_is_read_only_in_the_admin_for_administrators(maria):
    from django.contrib.auth.models import Group

    from tests.istanze.helpers import make_operator

    anpr.family("RSSMRA85C52H501N", caller(maria))
    admin = make_operator("amministratore", "ufficio-scuola")
    admin.groups.add(Group.objects.get(name="Administrators"))
    browser = Client()
    browser.force_login(admin)
    page = browser.get("/admin/pdnd/consultation/")
    assert page.status_code == 200 and "anpr-C021" in page.content.decode()
    assert browser.get("/admin/pdnd/consultation/create/").status_code in (302, 403)
    operator = make_operator("operatore", "ufficio-scuola")
    browser.force_login(operator)
    assert browser.get("/admin/pdnd/consultation/").status_code in (302, 403)


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"criteriRicerca": [], "datiRichiesta": "C030"}',
                                  b'{"criteriRicerca": {"codiceFiscale": ["x"]}, "datiRichiesta": {"casoUso": "C030"}}'])
def test_the_anpr_sandbox_answers_bad_bodies_with_a_problem_never_a_500(body):
    response = _post(_voucher_and_headers(body), body=body)
    assert response.status_code in (400, 404)
