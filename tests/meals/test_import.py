"""Switch-over import: dry run, all-or-nothing apply, re-run changes nothing, malformed files."""

from decimal import Decimal
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

from services.meals.actions import ledger_mismatches
from services.meals.models import LedgerEntry, Wallet

GOOD = """codice_fiscale;cognome;nome;email;saldo
RSSMRA85C52H501N;Rossi;Maria;maria@example.it;12,50
BNCLCU82S02A271A;Bianchi;Luca;luca@example.it;-3,20
SPSGLI75L65F839U;Esposito;Giulia;;1.234,56
"""


@pytest.fixture
def files(tmp_path):
    def write(text, name="saldi.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def run(path, *args):
    out = StringIO()
    call_command("meals_import_balances", path, *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_and_changes_nothing(db, files):
    get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N")
    report = run(files(GOOD))
    assert "Righe valide: 3 (famiglie già registrate: 1, nuove: 2)" in report and "€ 1.243,86" in report
    assert "nulla è stato modificato" in report and not Wallet.objects.exists()


def test_apply_then_rerun_changes_nothing(db, files):
    path = files(GOOD)
    run(path, "--apply")
    balances = dict(Wallet.objects.values_list("holder__fiscal_code", "balance"))
    assert balances == {"RSSMRA85C52H501N": Decimal("12.50"), "BNCLCU82S02A271A": Decimal("-3.20"),
                        "SPSGLI75L65F839U": Decimal("1234.56")}
    assert not get_user_model().objects.get(fiscal_code="BNCLCU82S02A271A").has_usable_password()
    report = run(path, "--apply")
    assert "Già importati (saltati): 3" in report and LedgerEntry.objects.count() == 3 and ledger_mismatches() == []


@pytest.mark.parametrize("content, message", [
    (GOOD + "RSSMRA85C52H501N;Rossi;Maria;;1,00\n", "codice fiscale RSSMRA85C52H501N ripetuto"),
    (GOOD + "XXXXXX00X00X000X;Nessuno;Tizio;;1,00\n", "codice fiscale non valido"),
    (GOOD + "FRRPLA68A14L219Z;Ferrari;Paolo;;dieci\n", "saldo non valido"),
    (GOOD + "FRRPLA68A14L219Z;Ferrari;Paolo;;1,005\n", "saldo non valido"),
    ("cf;saldo\nRSSMRA85C52H501N;1\n", "intestazione non riconosciuta"),
])
def test_a_bad_file_applies_nothing(db, files, content, message):
    with pytest.raises(CommandError, match="nessun dato è stato importato"):
        out = StringIO()
        try:
            call_command("meals_import_balances", files(content), "--apply", stdout=out)
        finally:
            assert message in out.getvalue()
    assert not Wallet.objects.exists() and not LedgerEntry.objects.exists()


def test_the_readmes_sample_file_reports_what_the_readme_says(demo, maria, tmp_path):
    """fixtures/saldi-esempio.csv, as README.md tells a person to try it."""
    from pathlib import Path

    from django.conf import settings

    sample = Path(settings.BASE_DIR) / "fixtures" / "saldi-esempio.csv"
    out = StringIO()
    with pytest.raises(CommandError, match="nessun dato è stato importato"):
        call_command("meals_import_balances", str(sample), stdout=out)
    report = out.getvalue()
    assert "famiglie già registrate: 1, nuove: 4" in report
    assert "riga 7: codice fiscale VRDGRG84P28H501R ripetuto" in report
    assert "riga 8: codice fiscale non valido" in report and "riga 9: saldo non valido" in report
    lines = sample.read_text(encoding="utf-8").splitlines()
    clean = tmp_path / "saldi.csv"
    clean.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")  # lines 7-9 removed
    out = StringIO()
    call_command("meals_import_balances", str(clean), "--apply", stdout=out)
    assert "Importazione applicata." in out.getvalue() and Wallet.objects.count() >= 5
