"""A codice fiscale counts only when an identity provider vouched for it (issue 24): the attacks as they were tried,
through the real local sign-up (allauth, e-mail confirmation) and the real SAML round trip with the demo IdP."""

import re
import threading

from django.core import mail
from django.db import connection
from django.test import Client

import pytest

from services.accounts import linking
from services.accounts.models import FiscalCodeSource, User
from services.accounts.spid.backends import SpidBackend
from tests.accounts.saml_helpers import full_login

MARIA = "RSSMRA85C52H501N"  # the demo IdP's Maria Rossi
ATTACKER_PASSWORD = "password-dell-attaccante-42"


def _local_signup(client, *, fiscal_code=MARIA, email="finto@example.net", password=ATTACKER_PASSWORD):
    response = client.post("/account/signup/", {"first_name": "Finto", "last_name": "Nome", "fiscal_code": fiscal_code,
                                                "email": email, "password1": password, "password2": password})
    assert response.status_code == 302, response.content[:400]
    link = re.search(r"http://testserver(/account/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    client.get(link)
    client.post(link)
    return User.objects.get(email=email)


def test_a_local_sign_up_only_declares_its_codice_fiscale(client, db):
    user = _local_signup(client)
    assert user.fiscal_code == MARIA and user.fiscal_code_source == FiscalCodeSource.DECLARED
    assert not user.fiscal_code_attested and not user.fiscal_code_trusted
    assert user.username != MARIA


def test_pre_hijack_a_spid_login_never_signs_into_the_account_that_typed_its_codice_fiscale(client, db):
    attacker = _local_signup(Client())
    response = full_login(client, "maria.rossi")
    # the real person lands in a new attested account, with an offer to link the other one
    assert response.status_code == 302 and response["Location"].startswith("/area-personale/collega-account/")
    maria = User.objects.get(fiscal_code=MARIA, fiscal_code_source=FiscalCodeSource.SPID)
    assert maria.pk != attacker.pk and maria.first_name == "Maria" and maria.assurance_level == 2
    assert client.get("/area-personale/").wsgi_request.user == maria
    # the attacker's account kept its own name and e-mail, got nothing of hers, and its password opens only itself
    attacker.refresh_from_db()
    assert (attacker.first_name, attacker.email, attacker.fiscal_code_source) == ("Finto", "finto@example.net", "declared")
    thief = Client()
    assert thief.post("/account/login/", {"login": "finto@example.net", "password": ATTACKER_PASSWORD}).status_code == 302
    assert thief.get("/area-personale/").wsgi_request.user == attacker
    # her next logins go on signing into her attested account
    client.logout()
    full_login(client, "maria.rossi")
    assert client.get("/area-personale/").wsgi_request.user == maria


def test_the_link_page_says_what_happened_without_revealing_the_other_address(client, db):
    _local_signup(Client())
    full_login(client, "maria.rossi")
    page = client.get("/area-personale/collega-account/?next=/area-personale/").content.decode()
    assert "Collega l&#x27;account registrato" in page or "Collega l'account registrato" in page
    assert "finto@example.net" not in page and "f•••@e•••.net" in page
    # "Non ora" goes on without linking
    response = client.post("/area-personale/collega-account/", {"azione": "dopo", "next": "/area-personale/"})
    assert response.status_code == 302 and response["Location"] == "/area-personale/"
    assert User.objects.filter(fiscal_code=MARIA).count() == 2


def test_linking_needs_the_local_password_and_a_spid_session_then_the_password_ends(client, db):
    own = _local_signup(Client(), email="maria.rossi@example.it", password="la-mia-password-lunga-1")
    full_login(client, "maria.rossi")
    wrong = client.post("/area-personale/collega-account/", {"password": "non-e-questa-123", "next": "/area-personale/"})
    assert wrong.status_code == 400 and "La password non è quella" in wrong.content.decode()
    assert 'value="/area-personale/"' in wrong.content.decode()
    done = client.post("/area-personale/collega-account/", {"password": "la-mia-password-lunga-1", "next": "/area-personale/"})
    assert done.status_code == 302 and done["Location"] == "/area-personale/"
    own.refresh_from_db()
    assert own.fiscal_code_source == FiscalCodeSource.SPID and own.username == MARIA and not own.has_usable_password()
    assert User.objects.filter(fiscal_code=MARIA).count() == 1
    assert client.get("/area-personale/").wsgi_request.user == own
    assert client.session["auth_method"] == "spid"  # the session still says what it proved
    # the old password no longer opens it
    assert Client().post("/account/login/", {"login": "maria.rossi@example.it", "password": "la-mia-password-lunga-1"}).status_code == 200
    client.logout()
    full_login(client, "maria.rossi")
    assert client.get("/area-personale/").wsgi_request.user == own


def test_linking_is_refused_without_a_spid_session_after_five_wrong_passwords_and_when_the_new_account_holds_data(db):
    from services.notifications.models import Message

    declared = User.objects.create_user("locale-X", fiscal_code=MARIA, fiscal_code_source="declared", password="giusta-1234567")
    attested = User.objects.create_user(MARIA + "-a", fiscal_code=MARIA, fiscal_code_source="spid")
    with pytest.raises(linking.LinkError, match="accedi con SPID"):
        linking.link(attested=attested, password="giusta-1234567", method="local")
    Message.objects.create(user=attested, kind="istanze.submitted", event="x", subject="Pratica", body="…")
    with pytest.raises(linking.LinkError, match="rivolgiti"):
        linking.link(attested=attested, password="giusta-1234567", method="spid")
    for _ in range(5):
        with pytest.raises(linking.LinkError, match="non è quella"):
            linking.link(attested=attested, password="sbagliata-99999", method="spid")
    with pytest.raises(linking.LinkError, match="Troppi tentativi"):
        linking.link(attested=attested, password="giusta-1234567", method="spid")
    declared.refresh_from_db()
    assert declared.fiscal_code_source == "declared" and declared.check_password("giusta-1234567")


def test_a_local_account_cannot_claim_the_codice_fiscale_of_a_spid_citizen(client, db):
    full_login(Client(), "maria.rossi")
    response = client.post("/account/signup/", {"first_name": "X", "last_name": "Y", "fiscal_code": MARIA, "email": "x@example.net",
                                                "password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD})
    assert "Non è possibile registrarsi con questo codice fiscale" in response.content.decode()
    assert not User.objects.filter(email="x@example.net").exists()


def test_a_registered_account_is_claimed_by_the_first_spid_login_and_becomes_attested(client, db):
    registered = User.objects.create_user(MARIA, fiscal_code=MARIA)  # e.g. imported from the old meals system
    assert registered.fiscal_code_source == FiscalCodeSource.OFFICE and registered.fiscal_code_trusted
    full_login(client, "maria.rossi")
    registered.refresh_from_db()
    assert registered.fiscal_code_source == FiscalCodeSource.SPID and User.objects.filter(fiscal_code=MARIA).count() == 1


def test_the_second_of_two_logins_creating_the_same_account_finds_the_first(db):
    backend = SpidBackend()
    first = User.objects.create_user(MARIA, fiscal_code=MARIA, fiscal_code_source="spid")
    late = User(fiscal_code=MARIA, username=MARIA + "-x", fiscal_code_source="spid")
    assert backend.save_user(late) == first


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_spid_logins_racing_create_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite locks the whole file): CI runs it with DATABASE_URL")
    from django.db import close_old_connections
    from django.test import RequestFactory

    barrier, results = threading.Barrier(2), []

    def login():
        try:
            request = RequestFactory().post("/spid/acs/")
            request.saml_session = {"spid_method": "spid"}
            backend = SpidBackend()
            user, created = backend.get_or_create_user("fiscal_code", MARIA, True, "idp", {}, {}, request)
            barrier.wait(timeout=10)
            results.append(backend.save_user(user).pk)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=login) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1]
    assert User.objects.filter(fiscal_code=MARIA).count() == 1
