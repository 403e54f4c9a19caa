"""The ente's identity is read from one place: its fiscal code is the pagoPA creditor's everywhere (footer,
receipts, notices), editors cannot set another, and the demo's code has a valid check digit."""

from django.core.exceptions import ImproperlyConfigured

import pytest
from stdnum import luhn
from stdnum.it import iva

from home.models import EnteSettings
from services.core import ente
from services.payments.creditor import creditor


def test_one_fiscal_code_the_creditors(demo, client, settings):
    code = settings.PAGOPA_CREDITOR["fiscal_code"]
    assert ente.current().fiscal_code == code == creditor().fiscal_code == EnteSettings.load().fiscal_code
    assert iva.is_valid(code)
    assert f"Codice fiscale: {code}" in client.get("/").content.decode()


def test_editors_cannot_set_another_fiscal_code(demo):
    names = {field.name for field in EnteSettings._meta.get_fields()}
    assert "fiscal_code" not in names and "ipa_code" not in names


def test_editorial_values_come_from_the_cms(demo):
    settings_row = EnteSettings.load()
    settings_row.street_address = "Via Nuova 3"
    settings_row.save()
    current = ente.current()
    assert current.street_address == "Via Nuova 3" and current.name == settings_row.name
    assert current.ipa_code == "c_z999"


@pytest.mark.parametrize("code", ["80012340428", "0123456789", "8001234042A"])
def test_a_creditor_code_with_a_wrong_check_digit_is_refused(settings, code):
    settings.PAGOPA_CREDITOR = {**settings.PAGOPA_CREDITOR, "fiscal_code": code}
    assert not luhn.is_valid(code) if code.isdigit() else True
    with pytest.raises(ImproperlyConfigured):
        creditor()
