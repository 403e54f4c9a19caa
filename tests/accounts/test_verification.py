import re

from django.core import mail

from services.accounts.models import User
from services.notifications import sms
from tests.accounts.saml_helpers import full_login

CF = "SPSGLI75L65F839U"


def _login_without_contacts(client):
    full_login(client, identity="sara.russo")
    return User.objects.get(fiscal_code="RSSSRA90P70F205P")


def test_spid_contacts_count_as_verified(client, db):
    full_login(client)
    user = User.objects.get(fiscal_code="RSSMRA85C52H501N")
    assert user.email_verified and user.mobile_verified


def test_new_email_is_verified_by_a_link(client, db, django_capture_on_commit_callbacks):
    user = _login_without_contacts(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/area-personale/impostazioni/", {"email": "sara@example.it", "canale_email": "on"})
    user.refresh_from_db()
    assert not user.email_verified
    link = re.search(r"http://testserver(/area-personale/impostazioni/verifica-email/[^\s]+)", mail.outbox[-1].body).group(1)
    assert "sara" not in link
    response = client.get(link, follow=True)
    assert "Indirizzo e-mail confermato." in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified
    assert "non è più valido" in client.get(link, follow=True).content.decode()  # single use


def test_mobile_is_verified_by_an_sms_code(client, db, django_capture_on_commit_callbacks):
    user = _login_without_contacts(client)
    client.post("/area-personale/impostazioni/", {"mobile_phone": "+393331112222"})
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/area-personale/impostazioni/verifica/sms/")
    to, text = sms.outbox[-1]
    code = re.search(r"\d{6}", text).group(0)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/area-personale/impostazioni/verifica-cellulare/", {"code": wrong})
    assert "Il codice non è corretto." in response.content.decode()
    response = client.post("/area-personale/impostazioni/verifica-cellulare/", {"code": code}, follow=True)
    assert "Numero di cellulare confermato." in response.content.decode()
    user.refresh_from_db()
    assert to == "+393331112222" and user.mobile_verified


def test_sms_code_stops_after_too_many_attempts(client, db, django_capture_on_commit_callbacks):
    _login_without_contacts(client)
    client.post("/area-personale/impostazioni/", {"mobile_phone": "+393331112222"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/area-personale/impostazioni/verifica/sms/")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/area-personale/impostazioni/verifica-cellulare/", {"code": wrong})
    response = client.post("/area-personale/impostazioni/verifica-cellulare/", {"code": code})
    assert "Troppi tentativi" in response.content.decode()


def test_codes_are_rate_limited(client, db, django_capture_on_commit_callbacks):
    _login_without_contacts(client)
    client.post("/area-personale/impostazioni/", {"mobile_phone": "+393331112222"})
    for _ in range(3):
        client.post("/area-personale/impostazioni/verifica/sms/")
    response = client.post("/area-personale/impostazioni/verifica/sms/", follow=True)
    assert "troppi codici" in response.content.decode()


def test_unknown_channel_is_404(client, db):
    _login_without_contacts(client)
    assert client.post("/area-personale/impostazioni/verifica/piccione/").status_code == 404
