"""The 0-3 survey (seed 002): two sheets with two lives. SERVIZI 03 (RIL03): preloaded services, attendance or cessation
or the mandatory reason, missing services. INTERVENTI (RIL03_INTERVENTI), after SERVIZI 03 is sent: the actions each
active service requires. Each sheet validated or rejected back to draft by the regional office on its own; only users
the Region enabled on a Comune fill its sheets."""

import re
from datetime import date

from django.core import mail
from django.test import Client

import pytest

from services.istanze.models import Istanza
from services.istanze.states import Status
from services.procedures.models import ComuneEnablement, EarlyYearsService, SurveyComune
from services.procedures.ril03 import ACTIONS_CODE, EDITION, required_actions, surveyed_services
from tests.istanze.helpers import formset, make_citizen, make_operator, post_step, spid_login, start

pytestmark = pytest.mark.usefixtures("registries")
REGION = "ufficio-regionale-0-3"


@pytest.fixture(autouse=True)
def _open_window(settings):
    window = ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]
    settings.PROCEDURE_WINDOWS = {"RIL03": window, ACTIONS_CODE: window}


def enable(user, *istats):
    for istat in istats:
        ComuneEnablement.objects.get_or_create(user=user, comune=SurveyComune.objects.get(istat_code=istat))
    return user


def comune(istat):
    return SurveyComune.objects.get(istat_code=istat).pk


@pytest.fixture
def official(client, db):
    spid_login(client, enable(make_citizen("luca"), "999001", "999002"))
    return client


@pytest.fixture
def region(db):
    office = Client()
    office.force_login(make_operator("vale", REGION))
    return office


def services(istat="999001"):
    return surveyed_services(SurveyComune.objects.get(istat_code=istat))


def test_reference_periods_follow_the_authorisation():
    girotondo = EarlyYearsService.objects.get(code="NI-999001-01")
    piccoli_passi = EarlyYearsService.objects.get(code="MN-999001-03")
    trenino = EarlyYearsService.objects.get(code="SG-999001-04")
    assert EDITION.period(girotondo) == (date(2026, 1, 2), date(2027, 1, 31))
    assert EDITION.period(piccoli_passi) == (date(2026, 6, 1), date(2027, 1, 31))
    assert EDITION.period(trenino) == (date(2027, 2, 10), date(2027, 3, 1))  # authorised after the period: up to the survey's start
    assert [s.code for s in services("999003")] == ["CB-999003-01"]  # the one authorised after the start is next year's
    assert required_actions(girotondo) == ["B1", "B3"]
    assert required_actions(EarlyYearsService.objects.get(code="SP-999001-02")) == ["B2", "B4", "B8"]


def sheet(rows):
    return formset(rows, INITIAL_FORMS=str(len(rows)), MIN_NUM_FORMS="0")


# in the Region's order: Micronido Piccoli Passi, Nido comunale Il Girotondo, Sezione primavera Arcobaleno, Spazio gioco Il Trenino
VALFIORITA_ROWS = [{"stato": "cessato"}, {"stato": "attivo", "media_frequentanti": "12"},
                   {"stato": "attivo", "media_frequentanti": "24,5"}, {"stato": "non_raggiungibile", "motivazione": "Non intende accordarsi con il Comune."}]


def send(client, istanza):
    post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    return istanza


def send_services(client, istat="999001", rows=None):
    istanza = start(client, "RIL03")
    assert post_step(client, istanza, "comune", {"comune": comune(istat), "designato": "on"}).status_code == 302
    rows = rows if rows is not None else (VALFIORITA_ROWS if istat == "999001" else [{"stato": "attivo", "media_frequentanti": "30"}])
    assert post_step(client, istanza, "servizi", sheet(rows)).status_code == 302
    post_step(client, istanza, "mancanti", formset([], MIN_NUM_FORMS="0"))
    return send(client, istanza)


def actions_data(keys, amount="1.500,00"):
    return {f"{k}_importo": amount for k in keys} | {f"{k}_descrizione": "Contributo alle spese" for k in keys}


def send_actions(client, istat, keys):
    istanza = start(client, ACTIONS_CODE)
    assert post_step(client, istanza, "comune", {"comune": comune(istat), "designato": "on"}).status_code == 302
    assert post_step(client, istanza, "interventi", actions_data(keys)).status_code == 302
    return send(client, istanza)


def decide(region, istanza, action, note=""):
    region.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
    data = {f"{action}-note": note} if note else {}
    region.post(f"/admin/pratiche/{istanza.pk}/azione/{action}/", data)
    istanza.refresh_from_db()
    return istanza


def resubmit(client, istanza):
    post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    return istanza


def test_services_sheet_end_to_end_rejected_with_notes_and_sent_again(official, region, django_capture_on_commit_callbacks):
    istanza = start(official, "RIL03")
    assert post_step(official, istanza, "comune", {"comune": comune("999001")}).status_code == 200
    assert post_step(official, istanza, "comune", {"comune": comune("999001"), "designato": "on"}).status_code == 302
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "Nido comunale Il Girotondo" in page and "dal 02/01/2026 al 31/01/2027" in page and "dal 10/02/2027 al 01/03/2027" in page
    assert "formset-add" not in page  # the Region's list: no rows added or removed here

    rows = [{"stato": "attivo"}, {"stato": "attivo", "media_frequentanti": "dodici"}, {"stato": "cessato"}, {"stato": "non_raggiungibile"}]
    response = post_step(official, istanza, "servizi", sheet(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Per un servizio attivo indica la media dei frequentanti." in page and "Scrivi un numero, ad esempio 12,5." in page
    assert "Per un servizio non raggiungibile la motivazione è obbligatoria." in page and 'value="dodici"' in page
    response = post_step(official, istanza, "servizi", sheet(rows[:2]))  # a tampered count
    assert "L&#x27;elenco dei servizi del Comune è cambiato" in response.content.decode()
    assert post_step(official, istanza, "servizi", sheet(VALFIORITA_ROWS)).status_code == 302

    missing = {"denominazione": "Nido Le Rondini", "indirizzo": "Via Puccini 4", "titolo_autorizzativo": "Autorizzazione n. 12 del 03/03/2026",
               "titolare": "Cooperativa Le Rondini", "gestore": "Cooperativa Le Rondini", "capacita": "18", "frequentanti": "15,5"}
    assert post_step(official, istanza, "mancanti", formset([missing], MIN_NUM_FORMS="0")).status_code == 302
    response = post_step(official, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    summary = official.get(response["Location"]).content.decode()
    assert "24,5" in summary and "Cessato" in summary and "Nido Le Rondini" in summary and "quota comunale" not in summary
    with django_capture_on_commit_callbacks(execute=True):
        official.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == REGION and istanza.number.startswith("RIL03_")
    rows = istanza.data["servizi"]
    assert [(r["codice"], r["stato"], r["media_frequentanti"]) for r in rows] == [
        ("MN-999001-03", "cessato", None), ("NI-999001-01", "attivo", "12.0"), ("SP-999001-02", "attivo", "24.5"),
        ("SG-999001-04", "non_raggiungibile", None)]
    assert rows[3]["motivazione"] == "Non intende accordarsi con il Comune." and rows[1]["periodo"] == "02/01/2026–31/01/2027"
    assert istanza.data["mancanti"][0]["denominazione"] == "Nido Le Rondini" and "interventi" not in istanza.data
    desk = official.get("/area-personale/rilevazione-0-3/")
    assert desk["Cache-Control"] == "private, no-store" or "no-store" in desk["Cache-Control"]

    # the regional office rejects it with notes: back to draft for the Comune, the notes e-mailed and on the desk
    with django_capture_on_commit_callbacks(execute=True):
        region.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
        mail.outbox.clear()
        region.post(f"/admin/pratiche/{istanza.pk}/azione/richiedi_integrazione/",
                    {"richiedi_integrazione-note": "La media del micronido sembra alta: verificatela."})
    assert "La media del micronido sembra alta" in mail.outbox[-1].body
    istanza.refresh_from_db()
    assert istanza.status == Status.IN_ATTESA_DI_INTEGRAZIONE
    official.post("/area-personale/rilevazione-0-3/", {"comune": comune("999001")})
    page = official.get("/area-personale/rilevazione-0-3/").content.decode()
    assert "Rifiutata, in bozza per le correzioni" in page and "La media del micronido sembra alta" in page
    assert "Correggi e invia di nuovo" in page
    with django_capture_on_commit_callbacks(execute=True):
        region.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/")
    assert Istanza.objects.get(pk=istanza.pk).status == Status.IN_ATTESA_DI_INTEGRAZIONE  # not while it is with the Comune
    assert resubmit(official, istanza).status == Status.PRESA_IN_CARICO
    region.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/")
    istanza.refresh_from_db()
    assert istanza.status == Status.ACCOLTA
    assert "Validata" in official.get("/area-personale/rilevazione-0-3/").content.decode()


def valfiorita_keys():
    girotondo, arcobaleno = (EarlyYearsService.objects.get(code=c).pk for c in ("NI-999001-01", "SP-999001-02"))
    return [f"s{girotondo}_B1", f"s{girotondo}_B3", f"s{arcobaleno}_B2", f"s{arcobaleno}_B4", f"s{arcobaleno}_B8", "comune_C1"]


def test_actions_sheet_waits_for_the_services_sheet_and_follows_its_active_services(official, region):
    early = start(official, ACTIONS_CODE)
    page = post_step(official, early, "comune", {"comune": comune("999001"), "designato": "on"}).content.decode()
    assert "Invia prima la scheda SERVIZI 03 di Valfiorita" in page
    services_sheet = send_services(official)
    assert services_sheet.status == Status.INVIATA
    assert post_step(official, early, "comune", {"comune": comune("999001"), "designato": "on"}).status_code == 302
    # INTERVENTI: Girotondo (public) B1+B3, Arcobaleno (private primavera) B2+B4+B8, C1 for the CPT Comune
    page = official.get(f"/area-personale/pratiche/{early.public_id}/compila/").content.decode()
    expected = valfiorita_keys()
    for key in expected:
        assert f'name="interventi-{key}_importo"' in page, key
    assert services_sheet.number in page
    piccoli_passi = EarlyYearsService.objects.get(code="MN-999001-03").pk
    assert f"s{piccoli_passi}_" not in page  # ceased: no actions
    data = actions_data(expected)
    data[expected[0] + "_importo"] = "0,00"
    data["comune_C1_descrizione"] = "x" * 101
    data[expected[4] + "_importo"] = ""
    page = post_step(official, early, "interventi", data).content.decode()
    assert "Al massimo 100 caratteri (ora sono 101)." in page and "Scrivi la quota comunale, anche € 0,00." in page
    data["comune_C1_descrizione"] = "Formazione congiunta del personale"
    data[expected[4] + "_importo"] = "800"
    assert post_step(official, early, "interventi", data).status_code == 302
    actions = send(official, early)
    assert actions.status == Status.INVIATA and actions.number.startswith(f"{ACTIONS_CODE}_") and actions.office.slug == REGION
    assert actions.data["interventi"][expected[0] + "_importo"] == "0.00"
    assert actions.data["interventi"]["servizi_numero"] == services_sheet.number
    # one sheet validated, the other rejected: each keeps its own state
    assert decide(region, services_sheet, "accogli").status == Status.ACCOLTA
    assert decide(region, actions, "richiedi_integrazione", "Precisate la B3.").status == Status.IN_ATTESA_DI_INTEGRAZIONE
    services_sheet.refresh_from_db()
    assert services_sheet.status == Status.ACCOLTA
    official.post("/area-personale/rilevazione-0-3/", {"comune": comune("999001")})
    page = official.get("/area-personale/rilevazione-0-3/").content.decode()
    assert page.count("<strong>Validata</strong>") == 1 and "Precisate la B3." in page and "La rilevazione del Comune è completa" not in page
    assert resubmit(official, actions).status == Status.PRESA_IN_CARICO
    decide(region, actions, "accogli")
    assert "La rilevazione del Comune è completa" in official.get("/area-personale/rilevazione-0-3/").content.decode()


def test_actions_sheet_says_so_when_services_change_after_it_was_sent(official, region):
    services_sheet = send_services(official)
    actions = send_actions(official, "999001", valfiorita_keys())
    assert official.get(f"/area-personale/pratiche/{actions.public_id}/").content.decode().count("è cambiata dopo l") == 0
    decide(region, services_sheet, "richiedi_integrazione", "Il Girotondo ha chiuso a dicembre.")
    # corrected: the Girotondo ceased, so its B1 and B3 no longer stand
    rows = [dict(r) for r in VALFIORITA_ROWS]
    rows[1] = {"stato": "cessato"}
    post_step(official, services_sheet, "dichiarazioni", {"privacy": "on", "veridicita": "on"}, goto="servizi")
    post_step(official, services_sheet, "servizi", sheet(rows))
    post_step(official, services_sheet, "mancanti", formset([], MIN_NUM_FORMS="0"))
    assert resubmit(official, services_sheet).status == Status.PRESA_IN_CARICO
    assert [r["stato"] for r in services_sheet.data["servizi"]][1] == "cessato"
    detail = official.get(f"/area-personale/pratiche/{actions.public_id}/").content.decode()
    assert "è cambiata dopo l&#x27;invio di questa scheda" in detail and services_sheet.number in detail
    admin_page = region.get(f"/admin/istanze/istanza/inspect/{actions.pk}/").content.decode()
    assert "è cambiata dopo l&#x27;invio di questa scheda" in admin_page
    # sent back, the actions sheet follows the corrected services: no action for the ceased nido
    decide(region, actions, "richiedi_integrazione", "Rivedete le azioni.")
    post_step(official, actions, "dichiarazioni", {"privacy": "on", "veridicita": "on"}, goto="interventi")
    page = official.get(f"/area-personale/pratiche/{actions.public_id}/compila/").content.decode()
    girotondo = EarlyYearsService.objects.get(code="NI-999001-01").pk
    assert 'name="interventi-comune_C1_importo"' in page and f"s{girotondo}_B1" not in page


def test_a_user_of_two_comuni_chooses_one_and_never_sees_a_third(client, db):
    spid_login(client, enable(make_citizen("luca"), "999001", "999003"))
    page = client.get("/area-personale/rilevazione-0-3/").content.decode()
    assert "Sei abilitato su più Comuni" in page and "Valfiorita" in page and "Castelrotondo" in page and "Borgo San Pietro" not in page
    assert "Compila la scheda" not in page  # none chosen yet
    response = client.post("/area-personale/rilevazione-0-3/", {"comune": comune("999002")}, follow=True)
    assert "Scegli uno dei Comuni su cui sei abilitato." in response.content.decode()
    assert response.status_code == 400 and 'id="err-comune"' in response.content.decode()  # next to the select
    assert client.post("/area-personale/rilevazione-0-3/", {"comune": "1 OR 1=1"}).status_code == 400
    client.post("/area-personale/rilevazione-0-3/", {"comune": comune("999003")})
    page = client.get("/area-personale/rilevazione-0-3/").content.decode()
    assert "Le schede di Castelrotondo" in page and "Compila la scheda" in page
    # the wizard offers the two Comuni only, the chosen one preselected, and refuses a third
    istanza = start(client, "RIL03")
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
    assert {name for _, name in options} == {"Valfiorita", "Castelrotondo"}
    assert re.search(rf'<option value="{comune("999003")}"\s+selected', page)
    page = post_step(client, istanza, "comune", {"comune": comune("999002"), "designato": "on"}).content.decode()
    assert "Scegli uno dei Comuni su cui sei abilitato." in page
    # a colleague's sheet of a Comune this user is not enabled on is never listed
    other = Client()
    spid_login(other, enable(make_citizen("maria"), "999002"))
    send_services(other, "999002")
    for istat in ("999001", "999003"):
        client.post("/area-personale/rilevazione-0-3/", {"comune": comune(istat)})
        assert "RIL03_" not in client.get("/area-personale/rilevazione-0-3/").content.decode()


def test_a_user_not_enabled_is_told_and_cannot_send(client, db):
    user = make_citizen("luca")
    spid_login(client, user)
    assert "non ti ha abilitato su alcun Comune" in client.get("/area-personale/rilevazione-0-3/").content.decode()
    istanza = start(client, "RIL03")
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "non ti ha ancora abilitato su alcun Comune" in page
    # enabled, filled in, then disabled by the Region before Invia: refused
    enable(user, "999002")
    istanza = start(client, "RIL03", choice="nuova")
    post_step(client, istanza, "comune", {"comune": comune("999002"), "designato": "on"})
    post_step(client, istanza, "servizi", sheet([{"stato": "attivo", "media_frequentanti": "30"}]))
    post_step(client, istanza, "mancanti", formset([], MIN_NUM_FORMS="0"))
    post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    ComuneEnablement.objects.filter(user=user).delete()
    page = client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/", follow=True).content.decode()
    istanza.refresh_from_db()
    assert istanza.number is None and ("Non sei più abilitato" in page or "Scegli uno dei Comuni" in page)


def test_the_region_enables_and_disables_municipal_users_and_both_are_logged(db):
    from django.contrib.auth.models import Group

    from wagtail.models import ModelLogEntry

    officer = make_operator("renata", REGION)
    officer.groups.add(Group.objects.get(name="Regional validators"))
    admin = Client()
    admin.force_login(officer)
    luca = make_citizen("luca")
    url = "/admin/snippets/procedures/comuneenablement/"
    response = admin.post(f"{url}add/", {"comune": comune("999002"), "utente": "nessuno"})
    assert "Nessun utente con questo nome utente o codice fiscale" in response.content.decode()
    # a code someone typed at a portal sign-up names nobody: it was never proven
    impostor = make_citizen("maria")
    impostor.fiscal_code_source = "declared"
    impostor.save()
    response = admin.post(f"{url}add/", {"comune": comune("999002"), "utente": impostor.fiscal_code})
    assert "Nessun utente con questo nome utente o codice fiscale" in response.content.decode()
    response = admin.post(f"{url}add/", {"comune": comune("999002"), "utente": luca.fiscal_code.lower()})
    assert response.status_code == 302, response.content.decode()[:2000]
    enablement = ComuneEnablement.objects.get(user=luca)
    assert enablement.enabled_by == officer and enablement.comune.istat_code == "999002"
    response = admin.post(f"{url}add/", {"comune": comune("999002"), "utente": luca.fiscal_code})
    assert "già abilitato su questo Comune" in response.content.decode()
    admin.post(f"{url}delete/{enablement.pk}/")
    assert not ComuneEnablement.objects.filter(user=luca).exists()
    actions = list(ModelLogEntry.objects.filter(content_type__model="comuneenablement").values_list("action", "user_id"))
    assert ("wagtail.create", officer.pk) in actions and ("wagtail.delete", officer.pk) in actions


def test_a_comune_outside_a_cpt_cannot_indicate_c1(official):
    send_services(official, "999002")
    istanza = start(official, ACTIONS_CODE)
    post_step(official, istanza, "comune", {"comune": comune("999002"), "designato": "on"})
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode().replace("&#x27;", "'")
    assert "comune_C1" not in page and "l'azione C1 non si può indicare" in page
    assert len(re.findall(r'name="interventi-[^"]+_importo"', page)) == 2  # B1 and B3 of the only public nido


def test_all_services_ceased_leaves_no_actions_and_says_so(official):
    send_services(official, "999002", rows=[{"stato": "cessato"}])
    istanza = start(official, ACTIONS_CODE)
    post_step(official, istanza, "comune", {"comune": comune("999002"), "designato": "on"})
    response = post_step(official, istanza, "interventi", {})
    assert response.status_code == 200 and "non ha servizi attivi" in response.content.decode()


def test_the_regional_office_validates_a_sheet(official, region):
    nido = EarlyYearsService.objects.get(code="NI-999002-01").pk
    send_services(official, "999002")
    istanza = send_actions(official, "999002", [f"s{nido}_B1", f"s{nido}_B3"])
    assert decide(region, istanza, "accogli").status == Status.ACCOLTA
    assert istanza.data["interventi"][f"s{nido}_B1_importo"] == "1500.00"
    assert "Accolta" in official.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()


def test_one_sheet_per_comune_and_edition(official):
    first = send_services(official, "999002")
    assert first.status == Status.INVIATA and first.data["comune"]["edizione"] == EDITION.year
    second = start(official, "RIL03")
    response = post_step(official, second, "comune", {"comune": comune("999002"), "designato": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and f"la scheda SERVIZI 03 {EDITION.year} è già stata inviata (pratica {first.number}, in validazione)" in page
    assert f'href="/area-personale/pratiche/{first.public_id}/"' in page  # a link to the open one, for its sender
    # a colleague is told too, without a link to someone else's application
    colleague = Client()
    spid_login(colleague, enable(make_citizen("maria"), "999002"))
    third = start(colleague, "RIL03")
    page = post_step(colleague, third, "comune", {"comune": comune("999002"), "designato": "on"}).content.decode()
    assert "L&#x27;ha inviata un altro utente del Comune." in page and str(first.public_id) not in page
    # another Comune is free, and the other sheet of the same Comune too
    assert post_step(official, second, "comune", {"comune": comune("999001"), "designato": "on"}).status_code == 302
    actions = start(official, ACTIONS_CODE)
    assert post_step(official, actions, "comune", {"comune": comune("999002"), "designato": "on"}).status_code == 302


def fill_comune_999002(client, istanza):
    steps = {"comune": {"comune": comune("999002"), "designato": "on"}, "servizi": sheet([{"stato": "attivo", "media_frequentanti": "30"}]),
             "mancanti": formset([], MIN_NUM_FORMS="0")}
    for step, data in steps.items():
        post_step(client, istanza, step, data)


@pytest.fixture
def colleague(db):
    other = Client()
    spid_login(other, enable(make_citizen("maria"), "999002"))
    return other


def test_two_colleagues_filling_in_at_once_cannot_both_send(official, colleague):
    istanza = start(colleague, "RIL03")
    fill_comune_999002(colleague, istanza)
    first = send_services(official, "999002")  # sent while the colleague is on the last step
    response = post_step(colleague, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert response.status_code == 200 and "già stata inviata" in response.content.decode()  # every step checked again at the end
    assert first.status == Status.INVIATA


def test_invia_refuses_a_sheet_completed_before_a_colleague_sent_the_same(official, colleague):
    istanza = start(colleague, "RIL03")
    fill_comune_999002(colleague, istanza)
    assert post_step(colleague, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"}).status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE  # on the summary, not sent yet
    first = send_services(official, "999002")
    page = colleague.post(f"/area-personale/pratiche/{istanza.public_id}/invia/", follow=True).content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE and istanza.number is None and f"pratica {first.number}" in page


def test_a_step_after_the_comune_says_why_the_comune_no_longer_stands(official, colleague):
    istanza = start(colleague, "RIL03")
    post_step(colleague, istanza, "comune", {"comune": comune("999002"), "designato": "on"})
    send_services(official, "999002")
    response = post_step(colleague, istanza, "servizi", sheet([{"stato": "attivo", "media_frequentanti": "30"}]))
    page = response.content.decode()
    assert "Torna al passo «Comune»: Per" in page and "non ha caricato servizi" not in page


def test_correcting_a_returned_sheet_shows_no_error_banner_without_an_error(official, region):
    istanza = send_services(official, "999002")
    decide(region, istanza, "richiedi_integrazione", "Verificate la media.")
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "Stai integrando la pratica" in page and 'name="istanza-current_step" value="dichiarazioni"' in page
    for step in ("comune", "servizi", "mancanti"):  # through the stepper, from the last step
        post_step(official, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"}, goto=step)
        page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
        assert f'name="istanza-current_step" value="{step}"' in page
        assert "Correggi i campi indicati in rosso" not in page, step


def test_descriptions_are_not_cut_by_the_browser(official):
    send_services(official, "999002")
    istanza = start(official, ACTIONS_CODE)
    post_step(official, istanza, "comune", {"comune": comune("999002"), "designato": "on"})
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert 'name="interventi-' in page and "maxlength" not in page


def test_the_split_gives_an_old_survey_its_actions_sheet_with_a_number_and_history(official, region):
    """Migration 0004: an application that held both sheets gives INTERVENTI to an application of its own."""
    import importlib

    from django.apps import apps

    from services.core.models import Sequence

    old = send_services(official, "999002")
    nido = EarlyYearsService.objects.get(code="NI-999002-01").pk
    answers = {f"s{nido}_B1_importo": "100.00", f"s{nido}_B1_descrizione": "Gestione"}
    Istanza.objects.filter(pk=old.pk).update(data={**old.data, "interventi": answers})
    importlib.import_module("services.procedures.migrations.0004_two_sheets").split(apps, None)
    old.refresh_from_db()
    new = Istanza.objects.get(procedure_code=ACTIONS_CODE)
    year = old.number.split("_")[-1].split(".")[0]
    assert "interventi" not in old.data and new.status == old.status and new.owner_id == old.owner_id
    assert new.number == f"{ACTIONS_CODE}_{year}.0000001" and Sequence.objects.get(key=f"istanza:{ACTIONS_CODE}:{year}").last_value == 1
    assert new.data["interventi"]["servizi_attivi"] == [nido] and new.data["interventi"][f"s{nido}_B1_importo"] == "100.00"
    assert list(new.events.values_list("to_status", flat=True)) == list(old.events.values_list("to_status", flat=True))
    from services.istanze.invariants import none_half_submitted, numbers_gapless

    assert numbers_gapless() == [] and none_half_submitted() == []
