import re
from html import unescape

from django.core import mail

import pytest

from services.accounts.models import LoginEvent, User

PASSWORD = "una-password-molto-lunga-42"


def _signup(client, **overrides):
    data = {"first_name": "Anna", "last_name": "Conti", "fiscal_code": "RSSMRA85C52H501N", "email": "anna@example.it",
            "password1": PASSWORD, "password2": PASSWORD, **overrides}
    return client.post("/account/signup/", data)


def _confirm(client):
    link = re.search(r"http://testserver(/account/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    client.get(link)
    return client.post(link)


def test_signup_needs_email_verification_then_logs_in(client, db):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="anna@example.it")
    assert (user.fiscal_code, user.username, user.first_name) == ("RSSMRA85C52H501N", "locale-RSSMRA85C52H501N", "Anna")
    assert user.fiscal_code_source == "declared" and not user.fiscal_code_attested
    assert len(mail.outbox) == 1
    client.logout()
    response = client.post("/account/login/", {"login": "anna@example.it", "password": PASSWORD})
    assert "/account/confirm-email/" in response["Location"]  # not verified yet: no access
    _confirm(client)
    assert client.get("/area-personale/").status_code == 200
    assert LoginEvent.objects.filter(user=user, method="local").exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"fiscal_code": "RSSMRA85C52H501X"}, "fiscal_code", "Il codice fiscale non è valido"),
        ({"fiscal_code": "ABC"}, "fiscal_code", "Il codice fiscale non è valido"),
        ({"password1": "corta-corta", "password2": "corta-corta"}, "password1", "La password è troppo corta: deve avere almeno 12 caratteri."),
    ],
)
def test_signup_errors_are_next_to_the_field_and_keep_the_input(client, db, overrides, field, message):
    response = _signup(client, **overrides)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    # the error sits right after its own control, which points to it, on the site's design
    control = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control and f"id_{field}_error" in control and "form-control" in control
    after = html[html.index(control):]
    error = re.search(rf'<div class="text-danger small" id="id_{field}_error">([^<]*)</div>', after)
    assert error and message in error.group(1) and after.index(error.group(0)) < after.index("<label", 1)
    assert "This password" not in html
    assert 'value="anna@example.it"' in html and 'value="Conti"' in html
    assert not User.objects.filter(email="anna@example.it").exists()


def test_the_login_message_names_the_person(client, db):
    from django.contrib.messages import get_messages

    _signup(client)
    response = _confirm(client)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and any("Anna Conti" in m for m in said) and not any("RSSMRA85C52H501N" in m for m in said)


def test_codice_fiscale_already_registered(client, db):
    User.objects.create_user("RSSMRA85C52H501N", fiscal_code="RSSMRA85C52H501N")
    response = _signup(client)
    assert "Non è possibile registrarsi con questo codice fiscale" in response.content.decode()


def _verified_user():
    from allauth.account.models import EmailAddress

    user = User.objects.create_user("RSSMRA85C52H501N", email="anna@example.it", password=PASSWORD, fiscal_code="RSSMRA85C52H501N")
    EmailAddress.objects.create(user=user, email="anna@example.it", verified=True, primary=True)
    return user


def test_login_failure_does_not_reveal_whether_the_account_exists(client, db):
    _verified_user()
    wrong_password = unescape(client.post("/account/login/", {"login": "anna@example.it", "password": "sbagliata-1234567"}).content.decode())
    unknown = unescape(client.post("/account/login/", {"login": "nessuno@example.it", "password": "sbagliata-1234567"}).content.decode())
    error = "L'indirizzo email e/o la password che hai usato non sono corretti."
    assert error in wrong_password and error in unknown


def test_password_reset_does_not_reveal_whether_the_account_exists(client, db):
    _verified_user()
    known = client.post("/account/password/reset/", {"email": "anna@example.it"})
    unknown = client.post("/account/password/reset/", {"email": "nessuno@example.it"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_brute_force_is_slowed_down(client, db):
    _verified_user()
    for _ in range(5):
        client.post("/account/login/", {"login": "anna@example.it", "password": "sbagliata-1234567"})
    response = client.post("/account/login/", {"login": "anna@example.it", "password": PASSWORD})
    assert "Troppi tentativi di accesso. Riprova più tardi." in response.content.decode()
    assert client.get("/area-personale/").status_code == 302


def test_password_reset_flow(client, db):
    _verified_user()
    client.post("/account/password/reset/", {"email": "anna@example.it"})
    link = re.search(r"http://testserver(/account/password/reset/key/[^\s]+)", mail.outbox[-1].body).group(1)
    response = client.get(link)
    form_url = response["Location"] if response.status_code == 302 else link
    new = "un-altra-password-lunga-99"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert client.post("/account/login/", {"login": "anna@example.it", "password": new}).status_code == 302


def test_the_sign_up_confirmation_verifies_the_address_everywhere(client, db):
    """Issue 25 (4): after sign-up and the confirmation link, Impostazioni said "non ancora verificato"."""
    _signup(client)
    _confirm(client)
    user = User.objects.get(email="anna@example.it")
    assert user.email_verified
    assert "Indirizzo verificato." in client.get("/area-personale/impostazioni/").content.decode()
