from django.contrib.auth.models import Group

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from services.accounts.models import User

PASSWORD = "password-redazione-lunga-1"


@pytest.fixture
def staff(db, settings):
    settings.STAFF_MFA_REQUIRED = True
    user = User.objects.create_user("redattrice", email="redazione@example.it", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    EmailAddress.objects.create(user=user, email="redazione@example.it", verified=True, primary=True)
    return user


def _code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_staff_without_a_second_factor_must_activate_it(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/account/2fa/totp/activate/"


def test_password_alone_does_not_open_the_admin(client, staff):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert client.get("/admin/").status_code == 302


def test_password_and_totp_open_the_admin(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post("/account/login/?next=/admin/", {"login": "redazione@example.it", "password": PASSWORD})
    assert response["Location"] == "/account/2fa/authenticate/"
    wrong = client.post("/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Codice errato." in wrong.content.decode()
    response = client.post("/account/2fa/authenticate/", {"code": _code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_production_settings_require_the_second_factor():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "x",
                "DATABASE_URL": "sqlite:///x", "SPID_KEY_FILE": "k", "SPID_CERT_FILE": "c", "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=", "SPID_DEMO_IDP_ENABLED": "true"})
    code = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED, settings.SPID_DEMO_IDP_ENABLED)"
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "True False", out.stderr
