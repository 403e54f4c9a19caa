import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "servizi.comune.example.it",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SPID_KEY_FILE": "/etc/sportello/spid/sp.key",
        "SPID_CERT_FILE": "/etc/sportello/spid/sp.crt",
        "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x", "DATABASE_URL": "sqlite:///x"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_require_file_encryption_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "FILE_ENCRYPTION_KEYS"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "x",
                "DATABASE_URL": "sqlite:///x", "SPID_KEY_FILE": "/k", "SPID_CERT_FILE": "/c"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "FILE_ENCRYPTION_KEYS" in result.stderr


def test_production_switches_the_demos_sandboxes_off_and_trusts_one_proxy(tmp_path):
    """Whatever the environment says, production has no demo IdP, pagoPA or App IO sandbox, and trusts exactly the
    one nginx of site/nginx.conf for the client's address."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "x",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SPID_KEY_FILE": "/k", "SPID_CERT_FILE": "/c",
           "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=", "SPID_DEMO_IDP_ENABLED": "true",
           "PAGOPA_SANDBOX_ENABLED": "true", "IO_SANDBOX_ENABLED": "true", "DEMO": "true"}
    env.pop("TRUSTED_PROXY_COUNT", None)
    code = ("from django.conf import settings as s; print(s.SPID_DEMO_IDP_ENABLED, s.PAGOPA_SANDBOX_ENABLED, "
            "s.IO_SANDBOX_ENABLED, s.DEMO, s.TRUSTED_PROXY_COUNT)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split()[-5:] == ["False", "False", "False", "False", "1"], result.stdout + result.stderr
