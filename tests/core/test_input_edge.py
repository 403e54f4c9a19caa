"""No 500 and no bare English page from anything a visitor or a partner can send (issue 24): each finding as it was
tried, plus the helpers' own rules."""

import re
from html import unescape

from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

import pytest

from services.core.http import client_ip
from services.core.parsing import parse_id, parse_int, plain_terms

QUESTION = 'Ho letto "l\'avviso" sulla mensa: come faccio?'
GOOD = {"first_name": "Anna", "last_name": "Verdi", "email": "anna.verdi@example.it", "category": "educazione-e-formazione",
        "service": "iscrizione-oepac", "message": QUESTION, "privacy": "on"}


@pytest.mark.parametrize("value, expected", [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), ("1" * 20, None), ("0", None),
                                             ("-1", None), ("12a", None), ("", None), (None, None), ("9" * 18, 10**18 - 1)])
def test_an_id_is_ascii_digits_within_a_bigint(value, expected):
    assert parse_id(value) == expected


def test_integers_and_search_terms():
    assert parse_int("²", minimum=0, maximum=9) is None and parse_int("-3", minimum=-5, maximum=5) == -3
    assert plain_terms(QUESTION) == "Ho letto l avviso sulla mensa come faccio"
    assert plain_terms('NEAR(a b) "x" -y * col:val\x00') == "a b x y col val"


def test_the_urp_check_page_and_the_desks_faq_search_take_a_quoted_question(client, demo):
    from services.assistance.models import AssistanceRequest
    from tests.istanze.helpers import make_operator

    response = client.post("/assistenza/", GOOD)
    assert response.status_code == 302
    draft = AssistanceRequest.objects.get()
    assert client.get(response["Location"]).status_code == 200
    operator = make_operator("ugo", "urp")
    from django.contrib.auth.models import Group

    operator.groups.add(Group.objects.get(name="URP"))
    draft.submitted_at, draft.status = timezone.now(), "nuova"
    draft.save()
    desk = Client()
    desk.force_login(operator)
    assert desk.get(f"/admin/assistenza/{draft.pk}/", {"faq_q": QUESTION}).status_code == 200


def test_every_admin_search_answers_for_an_administrator(client, superuser, demo):
    """Issue 25 (1): the Pratiche search area had a lazy URL and every admin search answered 500."""
    client.force_login(superuser)
    for url in ("/admin/pages/search/", "/admin/images/", "/admin/documents/", "/admin/users/", "/admin/snippets/home/faq/"):
        assert client.get(url, {"q": QUESTION}).status_code == 200, url


def test_superscript_and_oversized_ids_answer_404_or_a_message(client, calendars):
    from services.appointments.models import AppointmentType
    from tests.istanze.helpers import make_operator

    kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
    office = kind.offices.get()
    client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    for value in ("²", "٣", "1" * 25):
        response = client.post("/prenota-appuntamento/data/", {"orario": value})
        assert response.status_code == 400 and "Questo orario non esiste" in response.content.decode()
    operator = make_operator("ugo", "urp")
    operator.is_superuser = True
    operator.save()
    desk = Client()
    desk.force_login(operator)
    for value in ("²", "9" * 20):
        assert desk.get("/admin/assistenza/", {"ufficio": value}).status_code == 200
    assert desk.get("/admin/assistenza/" + "9" * 20 + "/").status_code == 404
    day = timezone.localdate().isoformat()
    assert desk.get("/admin/appuntamenti/agenda/", {"ufficio": office.pk, "giorno": day}).status_code == 200
    for url in ("/admin/appuntamenti/²/azione/presente/", "/admin/appuntamenti/fasce/²/azione/", "/admin/appuntamenti/" + "9" * 30 + "/azione/"):
        assert desk.post(url, {"azione": "presente"}).status_code == 404


def test_a_file_name_of_a_thousand_characters_is_answered_next_to_the_field(client, demo):
    boundary = "----sportello"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in GOOD.items()]
    name = "a" * 1000 + ".pdf"
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="{name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n%PDF-1.4 prova\r\n")
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    response = client.generic("POST", "/assistenza/", body, content_type=f"multipart/form-data; boundary={boundary}")
    page = unescape(response.content.decode())
    assert response.status_code == 400 and "Il nome del file è troppo lungo" in page
    assert 'value="Verdi"' in page and "come faccio?" in page  # nothing typed is lost


def test_a_bad_request_and_a_refusal_are_the_sites_own_italian_pages(client, db):
    from services.core.errors import bad_request, permission_denied

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    for view, title in ((bad_request, "Richiesta non valida"), (permission_denied, "Accesso non consentito")):
        page = view(request).content.decode()
        assert title in page and "Bad Request" not in page and "Forbidden" not in page and 'lang="it"' in page


def test_an_expired_form_says_so_in_italian_and_shows_what_was_typed(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/assistenza/", GOOD)
    page = unescape(response.content.decode())
    assert response.status_code == 403 and "La pagina è scaduta, ricarica e riprova" in page
    assert QUESTION in page and "DEBUG" not in page and "CSRF" not in page
    assert "no-store" in response["Cache-Control"]


def _receipt(**fields):
    from services.payments import sandbox

    data = {"receiptId": "R1", "noticeNumber": "301000000000000144", "fiscalCode": "00000000000", "outcome": "OK",
            "creditorReferenceId": "01000000000000144", "paymentAmount": "25.00", "description": "Prova",
            "PSPCompanyName": "PSP", "paymentDateTime": "2026-12-01T10:00:00", **fields}
    return sandbox.receipt_xml(data)


@pytest.mark.parametrize("fields, named", [({"receiptId": "R" * 70}, "receiptId"), ({"paymentAmount": "9" * 400}, "paymentAmount"),
                                           ({"paymentAmount": "1e3"}, "paymentAmount"), ({"fiscalCode": "٠" * 11}, "fiscalCode"),
                                           ({"outcome": "MAYBE"}, "outcome")])
def test_a_pushed_receipt_that_breaks_the_schema_is_a_400_naming_the_field(client, db, fields, named):
    response = client.post("/pagopa/ricevute/", data=_receipt(**fields), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {settings.PAGOPA_PUSH_TOKEN}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert named in detail and "<class" not in detail and "decimal" not in detail.lower()


def test_garbage_instead_of_a_receipt_is_a_400(client, db):
    for body in (b"<not xml", "<a>\u00e8</a>".encode("latin-1"), b'<!DOCTYPE x [<!ENTITY e "e">]><a>&e;</a>'):
        response = client.post("/pagopa/ricevute/", data=body, content_type="application/xml",
                               HTTP_AUTHORIZATION=f"Bearer {settings.PAGOPA_PUSH_TOKEN}")
        assert response.status_code == 400


def test_a_postcode_in_arabic_indic_digits_is_refused():
    from services.procedures.serv06 import ComuneForm

    field = ComuneForm.base_fields["cap"]
    with pytest.raises(Exception, match="CAP|cap|valid"):
        field.clean("١٢٣٤٥")
    assert field.clean("12345") == "12345"


def test_a_forged_forwarded_address_is_ignored_unless_a_proxy_is_trusted():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "10.0.0.5"  # the demo and tests trust no proxy
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.9"  # what our nginx appended; 1.2.3.4 was the client's own claim
        assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="garbage")) == "10.0.0.5"
        assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")) == "10.0.0.5"
    assert re.fullmatch(r"[0-9.]+", client_ip(request))


def test_secrets_are_kept_as_keyed_hashes_and_compared_in_constant_time(db, settings):
    from services.core.tokens import keyed_hash, matches

    first = keyed_hash("appointment-cancel", "codice")
    assert len(first) == 64 and "codice" not in first
    assert matches(first, "appointment-cancel", "codice") and not matches(first, "assistance-reply", "codice")
    assert not matches("", "appointment-cancel", "codice")
    settings.SECRET_KEY = "another-key-entirely-for-this-test-only-0123456789"
    assert keyed_hash("appointment-cancel", "codice") != first  # a copy of the database without the key opens nothing
