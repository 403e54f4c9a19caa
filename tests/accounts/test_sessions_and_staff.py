import time

from django.contrib.auth.models import Group

import pytest

from services.accounts.middleware import LAST_SEEN, LOGGED_IN_AT
from services.accounts.models import Office, User
from tests.accounts.saml_helpers import form_fields, full_login
from tests.factories import OfficeFactory


def test_login_starts_a_new_session(client, db):
    client.get("/accedi/")
    session = client.session
    session["marker"] = "before"
    session.save()
    before = session.session_key
    full_login(client)
    assert client.session.session_key != before


def test_idle_citizen_session_expires_with_a_message(client, db, settings):
    full_login(client)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.CITIZEN_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/area-personale/")
    assert response.status_code == 302 and response["Location"] == "/accedi/?sessione=scaduta"
    page = client.get(response["Location"])
    assert "La sessione è scaduta" in page.content.decode()
    assert client.get("/area-personale/").status_code == 302  # logged out for good


def test_active_citizen_keeps_the_session(client, db, settings):
    full_login(client)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.CITIZEN_IDLE_TIMEOUT + 60
    session.save()
    assert client.get("/area-personale/").status_code == 200


def test_absolute_lifetime(client, db, settings):
    full_login(client)
    session = client.session
    session[LOGGED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    assert client.get("/area-personale/")["Location"] == "/accedi/?sessione=scaduta"


def test_disabled_account_loses_its_live_session(client, db):
    full_login(client)
    User.objects.filter(fiscal_code="RSSMRA85C52H501N").update(is_active=False)
    response = client.get("/area-personale/")
    assert response.status_code == 302 and response["Location"].startswith("/accedi/")


def test_logout_ends_the_server_session_and_the_idp_session(client, db):
    from django.contrib.sessions.models import Session

    full_login(client)
    key = client.session.session_key
    response = client.post("/esci/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/area-personale/").status_code == 302
    # single logout: our LogoutRequest goes to the IdP, its LogoutResponse comes back
    action, fields = form_fields(response)
    assert action == "http://testserver/demo-idp/slo/"
    action, fields = form_fields(client.post("/demo-idp/slo/", fields))
    assert action == "http://testserver/spid/ls/post/"
    response = client.post("/spid/ls/post/", fields)
    assert response.status_code == 302 and response["Location"] == "/"


def test_logout_needs_post(client, db):
    full_login(client)
    assert client.get("/esci/").status_code == 405


def test_citizen_cannot_open_the_admin(client, db):
    full_login(client)
    response = client.get("/admin/pages/")
    assert response.status_code == 403
    assert "Area riservata al personale del Comune" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The refusal comes from the account checks, inside the security headers' layer: it carries them all.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_personal_area_requires_login(client, db):
    response = client.get("/area-personale/impostazioni/")
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")


@pytest.mark.parametrize("tab, empty", [("messaggi", "Al momento non hai messaggi."), ("documenti", "Al momento non hai documenti.")])
def test_personal_area_tabs_when_empty(client, db, tab, empty):
    full_login(client)
    response = client.get(f"/area-personale/{tab}/")
    assert response.status_code == 200 and empty in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_payments_tab_lists_what_to_pay_and_what_was_paid(client, db):
    full_login(client)
    response = client.get("/area-personale/pagamenti/")
    page = response.content.decode()
    assert response.status_code == 200 and "Da pagare" in page and "Non hai pagamenti da fare." in page and "Pagati" in page
    assert "no-store" in response["Cache-Control"]


def test_settings_save_contacts_and_preferences(client, db):
    full_login(client)
    response = client.post("/area-personale/impostazioni/", {"email": "nuova@example.it", "mobile_phone": "+39 333 0000000", "canale_sms": "on"})
    assert response.status_code == 302
    user = User.objects.get(fiscal_code="RSSMRA85C52H501N")
    assert (user.email, user.mobile_phone, "sms" in user.notify_channels, user.mobile_verified) == ("nuova@example.it", "+393330000000", True, False)


def test_settings_errors_keep_the_input(client, db):
    full_login(client)
    response = client.post("/area-personale/impostazioni/", {"email": "non-valida", "mobile_phone": "abc", "canale_sms": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Inserisci un indirizzo e-mail valido" in html and "numero di cellulare valido" in html
    assert 'value="non-valida"' in html


def test_login_history_is_shown(client, db):
    full_login(client)
    html = client.get("/area-personale/impostazioni/").content.decode()
    assert "SPID" in html and "L2" in html


def test_login_page_lists_the_identity_providers(client, db):
    html = client.get("/accedi/?next=/servizi/").content.decode()
    assert "Sportello demo IdP" in html and "Entra con CIE" in html
    assert "next=/servizi/" in html.replace("%2F", "/")


def test_staff_groups_exist(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Moderators", "Office operators", "URP", "School master", "School user",
            "Regional validators", "Administrators"} <= names
    assert Group.objects.get(name="Office operators").permissions.filter(codename="access_admin").exists()


def test_office_operator_reaches_the_admin_but_cannot_manage_users(client, db):
    user = User.objects.create_user("operatore", password="x")
    user.groups.add(Group.objects.get(name="Office operators"))
    user.offices.add(OfficeFactory(slug="municipio-1", kind=Office.Kind.MUNICIPIO))
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/users/").status_code == 302


def test_admin_user_form_validates_the_codice_fiscale(client, db, superuser):
    client.force_login(superuser)
    response = client.post("/admin/users/new/", {
        "username": "nuovo", "email": "n@example.it", "first_name": "N", "last_name": "U",
        "password1": "una-password-lunga-42", "password2": "una-password-lunga-42", "fiscal_code": "RSSMRA85C52H501X",
    })
    assert "Il codice fiscale non è valido" in response.content.decode()
    response = client.post("/admin/users/new/", {
        "username": "nuovo", "email": "n@example.it", "first_name": "N", "last_name": "U",
        "password1": "una-password-lunga-42", "password2": "una-password-lunga-42", "fiscal_code": "rssmra85c52h501n",
        "offices": [OfficeFactory(slug="urp", kind=Office.Kind.URP).id],
    })
    assert response.status_code == 302
    user = User.objects.get(username="nuovo")
    assert user.fiscal_code == "RSSMRA85C52H501N" and list(user.offices.values_list("slug", flat=True)) == ["urp"]
