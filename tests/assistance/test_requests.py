"""Richiedi assistenza and the URP desk: the citizen's form (the e-mail proven by a one-time link unless signed in
with a verified address), routing to the URP or to the office of the application, the desk's actions and what the
citizen is told, times in working days paused while waiting for the citizen, reopening and closure, limits."""

import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone

import pytest

from services.accounts.models import Office
from services.assistance import actions, selectors
from services.assistance.models import AssistanceRequest, ThreadEntry
from services.assistance.states import Status
from services.istanze.states import Status as IstanzaStatus
from services.notifications.models import Message
from tests.factories import IstanzaFactory
from tests.istanze.helpers import make_citizen, make_operator, spid_login

ROME = ZoneInfo("Europe/Rome")
FORM = "/assistenza/"
GOOD = {"first_name": "Anna", "last_name": "Verdi", "email": "anna.verdi@example.it", "category": "educazione-e-formazione",
        "service": "iscrizione-oepac", "message": "Quando apre la domanda OEPAC per il prossimo anno scolastico?", "privacy": "on"}


@pytest.fixture
def catalogue(registries):
    """The catalogue rows the URP form offers (category and service), as the site's service pages would publish them."""
    from services.catalogue.models import Service

    for slug, title, category_slug, category, office in (
            ("iscrizione-oepac", "Iscrizione OEPAC", "educazione-e-formazione", "Educazione e formazione", "municipio-1"),
            ("iscrizione-refezione-scolastica", "Iscrizione alla refezione scolastica", "educazione-e-formazione",
             "Educazione e formazione", "ufficio-scuola"),
            ("iscrizione-trasporto-scolastico", "Iscrizione al trasporto scolastico", "mobilita-e-trasporti",
             "Mobilità e trasporti", "ufficio-scuola")):
        Service.objects.get_or_create(slug=slug, defaults={"title": title, "category_slug": category_slug, "category": category,
                                                           "url": f"/servizi/{category_slug}/{slug}/", "office": office_of(office)})


def office_of(slug):
    from tests.istanze.helpers import office

    return office(slug)


@pytest.fixture
def urp(catalogue):
    user = make_operator("ugo", "urp")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="URP"))
    return user


def _send(client, data=None, **extra):
    response = client.post(FORM, {**GOOD, **(data or {})}, **extra)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = AssistanceRequest.objects.order_by("-pk").first()
    assert response["Location"] == f"/assistenza/{draft.public_id}/conferma/"
    return draft


def _confirm_link():
    link = re.search(r"http://testserver(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    return link


def _anonymous_request(client, django_capture_on_commit_callbacks, **data):
    draft = _send(client, data)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/assistenza/{draft.public_id}/conferma/").status_code == 302
    link = _confirm_link()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302 and response["Location"] == f"/assistenza/{draft.public_id}/inviata/"
    draft.refresh_from_db()
    return draft


def test_an_anonymous_request_reaches_the_desk_only_once_the_email_is_confirmed(client, urp, django_capture_on_commit_callbacks, demo):  # the FAQ it offers are the CMS's
    draft = _send(client)
    check = client.get(f"/assistenza/{draft.public_id}/conferma/").content.decode()
    assert "Forse la risposta è qui" in check and "Chi usa già l&#x27;OEPAC" in check  # the FAQ provider's answers
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assistenza/{draft.public_id}/conferma/", follow=True)
    assert "Conferma il tuo indirizzo e-mail" in response.content.decode()
    assert mail.outbox[-1].to == ["anna.verdi@example.it"]
    assert not selectors.desk_requests(urp).exists()
    link = _confirm_link()
    assert "Confermo il mio indirizzo" in client.get(link).content.decode()  # a mail scanner's GET uses nothing
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(link, follow=True).content.decode()
    draft.refresh_from_db()
    assert draft.number.startswith(f"ASSISTENZA_{timezone.localdate().year}.") and draft.number in page
    assert draft.office.slug == "urp" and draft.status == Status.NUOVA and draft.channel == "sito"
    assert list(selectors.desk_requests(urp)) == [draft]
    received = Message.objects.get(kind="assistance.received", address="anna.verdi@example.it")
    assert draft.number in received.subject and "/assistenza/risposta/" in received.body
    # the link works once
    assert client.post(link).status_code == 400


def test_the_draft_belongs_to_the_browser_that_wrote_it(client, catalogue):
    draft = _send(client)
    other = type(client)()
    assert other.get(f"/assistenza/{draft.public_id}/conferma/").status_code == 404
    assert other.post(f"/assistenza/{draft.public_id}/conferma/").status_code == 404


@pytest.mark.parametrize("change, field, message", [
    ({"message": ""}, "message", "Scrivi la tua domanda."),
    ({"message": "x" * 601}, "message", "al massimo 600 caratteri"),
    ({"email": "anna@"}, "email", "non è valido"),
    ({"category": "mobilita-e-trasporti"}, "service", "non appartiene alla categoria"),
    ({"category": "tasse-inventate"}, "category", "Scegli una categoria dall"),
    ({"privacy": ""}, "privacy", "informativa"),
    ({"sito_web": "http://spam.example"}, "form", "programma automatico"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_lost(client, catalogue, change, field, message):
    response = client.post(FORM, {**GOOD, **change})
    text = response.content.decode()
    marker = 'id="form-errors"' if field == "form" else f'id="{field}-error"'
    assert response.status_code == 400 and message in text and marker in text
    assert "Anna" in text and "Verdi" in text and not AssistanceRequest.objects.exists()
    if field != "message":
        assert "Quando apre la domanda OEPAC" in text


def test_a_signed_in_question_about_an_application_goes_to_its_office_at_once(client, catalogue, django_capture_on_commit_callbacks):
    citizen = make_citizen("maria")
    citizen.email_verified = True
    citizen.save()
    istanza = IstanzaFactory(owner=citizen, procedure_code="OEPAC", status=IstanzaStatus.PRESA_IN_CARICO, number="OEPAC_2026.0000004",
                             office=Office.objects.get(slug="municipio-1"), submitted_at=timezone.now())
    someone_elses = IstanzaFactory(procedure_code="OEPAC", status=IstanzaStatus.INVIATA, number="OEPAC_2026.0000005",
                                   office=Office.objects.get(slug="municipio-2"), submitted_at=timezone.now())
    spid_login(client, citizen)
    page = client.get(f"{FORM}?pratica={istanza.public_id}").content.decode()
    assert 'value="Maria"' in page and citizen.email in page and "OEPAC_2026.0000004" in page and "OEPAC_2026.0000005" not in page
    refused = client.post(FORM, {**GOOD, "email": citizen.email, "application": str(someone_elses.public_id)})
    assert refused.status_code == 400 and "Scegli una delle tue pratiche" in refused.content.decode()
    draft = _send(client, {"email": citizen.email, "application": str(istanza.public_id)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/assistenza/{draft.public_id}/conferma/")
    draft.refresh_from_db()
    assert draft.number and draft.office.slug == "municipio-1" and draft.fiscal_code == citizen.fiscal_code and draft.channel == "pratica"
    assert not mail.outbox or "Conferma" not in mail.outbox[-1].subject  # no verification: the address is already proven
    operator = make_operator("olga", "municipio-1")
    assert list(selectors.desk_requests(operator)) == [draft]
    assert not selectors.desk_requests(make_operator("oreste", "municipio-2")).exists()
    mine = client.get("/area-personale/assistenza/").content.decode()
    assert draft.number in mine
    assert client.get(f"/area-personale/assistenza/{draft.public_id}/")["Cache-Control"].count("no-store") == 1


def test_the_desk_answers_the_citizen_replies_by_the_emails_link_and_rates(client, urp, django_capture_on_commit_callbacks, demo):  # the FAQ it offers are the CMS's
    found = _anonymous_request(client, django_capture_on_commit_callbacks)
    desk = type(client)()
    desk.force_login(urp)
    url = f"/admin/assistenza/{found.pk}/"
    assert found.number in desk.get("/admin/assistenza/").content.decode()
    desk.post(url, {"azione": "prendi"})
    desk.post(url, {"azione": "nota", "body": "Chiedere all'Ufficio Scuola le date esatte."})
    from home.models import Faq

    faq = Faq.objects.filter(service__slug="iscrizione-oepac").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(url, {"azione": "rispondi", "body": "Le domande si presentano dal 1° febbraio.", "faq": [str(faq.pk)]})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == Status.IN_ATTESA and found.assignee == urp and found.first_reply_at and found.waiting_since
    reply = Message.objects.get(kind="assistance.reply", address="anna.verdi@example.it")
    assert "dal 1° febbraio" in reply.body and faq.question in reply.body
    token = re.search(r"/assistenza/risposta/([^/\s]+)/", reply.body).group(1)
    citizen = type(client)()
    thread = citizen.get(f"/assistenza/risposta/{token}/")
    text = thread.content.decode()
    assert thread.status_code == 200 and "no-store" in thread["Cache-Control"]
    assert "dal 1° febbraio" in text and "Chiedere all" not in text  # the internal note stays on the desk
    # the citizen answers: the request goes back to the operator, the clock runs again
    response = citizen.post(f"/assistenza/risposta/{token}/", {"azione": "scrivi", "body": "E per la secondaria?"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == Status.ASSEGNATA and found.waiting_since is None
    assert "E per la secondaria?" in desk.get(url).content.decode()
    # a second reply resolves it and rotates the link: the old one no longer opens the thread
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(url, {"azione": "rispondi", "body": "Anche per la secondaria, stesse date.", "resolve": "on"})
    assert citizen.get(f"/assistenza/risposta/{token}/").status_code == 404
    second = Message.objects.filter(kind="assistance.reply").order_by("-pk").first()
    token = re.search(r"/assistenza/risposta/([^/\s]+)/", second.body).group(1)
    assert citizen.post(f"/assistenza/risposta/{token}/", {"azione": "valuta", "rating": "5", "comment": "Chiaro"}).status_code == 302
    found.refresh_from_db()
    assert (found.status, found.rating, found.rating_comment) == (Status.RISOLTA, 5, "Chiaro")
    refused = citizen.post(f"/assistenza/risposta/{token}/", {"azione": "scrivi", "body": "x" * 601})
    assert refused.status_code == 400 and "al massimo 600" in refused.content.decode()


def test_another_offices_request_is_not_there_by_url(client, urp, catalogue):
    other = AssistanceRequest.objects.create(first_name="A", last_name="B", email="a@example.it", message="x", category_slug="urp",
                                             category_label="URP", office=Office.objects.get(slug="municipio-2"),
                                             submitted_at=timezone.now(), number="ASSISTENZA_2026.9999999")
    client.force_login(urp)
    assert client.get(f"/admin/assistenza/{other.pk}/").status_code == 404
    assert client.post(f"/admin/assistenza/{other.pk}/", {"azione": "prendi"}).status_code == 404
    assert "ASSISTENZA_2026.9999999" not in client.get("/admin/assistenza/?q=9999999").content.decode()
    assert client.get(f"/admin/assistenza/{other.pk}/allegati/domanda/").status_code == 404


def _request(office="urp", when=None, **extra):
    when = when or timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=when):
        draft = AssistanceRequest.objects.create(first_name="Anna", last_name="Verdi", email="anna@example.it", message="Domanda",
                                                 category_slug="urp", category_label="URP", office=Office.objects.get(slug=office), **extra)
        actions._submit(draft)
    return draft


def test_targets_count_working_days_and_stop_while_waiting_for_the_citizen(urp):
    # Friday 4 December 2026: two working days → Tuesday 8 is the Immacolata, so Wednesday 9; ten → Monday 21
    found = _request(when=datetime(2026, 12, 4, 10, 0, tzinfo=ROME))
    assert (found.first_reply_due, found.resolution_due) == (date(2026, 12, 9), date(2026, 12, 21))
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 12, 7, 9, 0, tzinfo=ROME)):
        actions.reply_send(request=found, body="Ci manda il numero della pratica?", by=urp)
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 12, 14, 9, 0, tzinfo=ROME)):
        found.refresh_from_db()
        assert not selectors.is_overdue(found, today=date(2027, 1, 30))  # paused: never overdue while waiting
        actions.citizen_write(request=found, body="OEPAC_2026.0000004")
    found.refresh_from_db()
    # waited from Monday 7 to Monday 14: 4 working days (9, 10, 11, 14) added to the 21st, past Christmas and
    # Santo Stefano → Monday 28 December
    assert found.resolution_due == date(2026, 12, 28)
    assert not selectors.is_overdue(found, today=date(2026, 12, 28))
    assert selectors.is_overdue(found, today=date(2026, 12, 29))
    assert found in selectors.overdue_only(AssistanceRequest.objects.all(), today=date(2026, 12, 29))


def test_a_resolved_request_reopens_within_ten_days_then_closes(urp):
    found = _request()
    actions.reply_send(request=found, body="Risolto.", by=urp, resolve=True)
    actions.citizen_write(request=found, body="Non ancora, scusate.")
    found.refresh_from_db()
    assert found.status == Status.ASSEGNATA and found.resolved_at is None
    assert ThreadEntry.objects.filter(request=found, kind="event", body__contains="Riaperta").exists()
    actions.request_resolve(request=found, by=urp)
    later = timezone.now() + timedelta(days=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        with pytest.raises(actions.AssistanceError, match="chiusa"):
            actions.citizen_write(request=found, body="Ancora io")
        assert actions.requests_close(now=later) == 1
    found.refresh_from_db()
    assert found.status == Status.CHIUSA and found.token_hash == ""
    with pytest.raises(actions.AssistanceError):
        actions.citizen_write(request=found, body="Ancora io")
    with pytest.raises(actions.AssistanceError):
        actions.reply_send(request=found, body="Tardi", by=urp)


def test_forwarding_moves_the_request_to_the_other_office_with_a_note(urp):
    found = _request()
    actions.request_take(request=found, by=urp)
    with pytest.raises(actions.AssistanceError, match="nota"):
        actions.request_forward(request=found, office=Office.objects.get(slug="ufficio-scuola"), note=" ", by=urp)
    actions.request_forward(request=found, office=Office.objects.get(slug="ufficio-scuola"), note="È sulla mensa.", by=urp)
    found.refresh_from_db()
    assert (found.office.slug, found.assignee, found.status) == ("ufficio-scuola", None, Status.NUOVA)
    assert not selectors.desk_requests(urp).filter(pk=found.pk).exists()
    school = make_operator("sara", "ufficio-scuola")
    assert selectors.desk_requests(school).get() == found
    with pytest.raises(actions.AssistanceError, match="collega"):
        actions.request_assign(request=found, to=urp, by=school)


def test_ten_requests_a_day_per_email_then_a_clear_refusal(client, catalogue):
    for n in range(10):
        client.post(FORM, {**GOOD, "message": f"Domanda {n}"})
    response = type(client)().post(FORM, GOOD)
    assert response.status_code == 400 and "molte richieste oggi" in response.content.decode()
    assert AssistanceRequest.objects.count() == 10


def test_a_reply_can_become_a_draft_faq_for_the_editors(client, urp):
    from home.models import FaqProposal

    found = _request()
    entry = actions.reply_send(request=found, body="Il menu è sul sito della scuola.", by=urp)
    client.force_login(urp)
    response = client.post(f"/admin/assistenza/{found.pk}/", {"azione": "faq", "voce": entry.pk}, follow=True)
    assert "bozza di FAQ" in response.content.decode()
    proposal = FaqProposal.objects.get()
    assert proposal.answer == "Il menu è sul sito della scuola." and proposal.question == "Domanda"


def test_retention_erases_personal_data_of_old_closed_requests_and_keeps_the_figures(urp, settings):
    found = _request(rating=4)
    actions.reply_send(request=found, body="Risposta con dati.", by=urp, resolve=True)
    now = timezone.now() + timedelta(days=11)
    actions.requests_close(now=now)
    assert actions.requests_minimise(now=now) == 0
    later = now + timedelta(days=settings.ASSISTANCE_RETENTION_DAYS + 1)
    assert actions.requests_minimise(now=later) == 1
    found.refresh_from_db()
    assert (found.first_name, found.message, found.email) == ("—", "—", "rimosso@invalid") and found.rating == 4
    assert set(found.entries.values_list("body", flat=True)) == {"—"}


def test_statistics_for_the_head_of_the_urp(client, urp):
    found = _request()
    actions.reply_send(request=found, body="Ecco.", by=urp, resolve=True)
    actions.rating_set(request=found, rating=4)
    client.force_login(urp)
    page = client.get("/admin/assistenza/statistiche/").content.decode()
    assert "Richieste e risposte per mese" in page and "<svg" in page and "voto medio" in page
    csv_text = client.get("/admin/assistenza/statistiche/?formato=csv").content.decode("utf-8-sig")
    month = timezone.localdate().strftime("%m/%Y")
    assert f"{month};1;1" in csv_text
    operator = make_operator("olga", "municipio-1")
    client.force_login(operator)
    assert client.get("/admin/assistenza/statistiche/").status_code in (302, 403)


def test_the_demo_has_the_urp_user_canned_replies_and_requests_in_every_state(client, demo, settings):
    import io

    from django.core.management import call_command

    from services.assistance.models import CannedReply

    settings.DEMO = True
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())  # idempotent
    assert CannedReply.objects.count() == 3
    states = set(AssistanceRequest.objects.values_list("status", flat=True))
    assert states == set(Status.values) and AssistanceRequest.objects.count() == 12
    assert AssistanceRequest.objects.filter(status="chiusa", rating__isnull=False).count() == 2
    assert client.post("/account/login/", {"login": "urp@example.it", "password": "sportello-demo"}).status_code == 302
    inbox = client.get("/admin/assistenza/").content.decode()
    assert "Richieste di assistenza" in inbox and AssistanceRequest.objects.filter(status="nuova").first().number in inbox
    assert client.get("/admin/assistenza/statistiche/").status_code == 200
    maria = AssistanceRequest.objects.filter(requester__fiscal_code="RSSMRA85C52H501N")
    assert maria.count() == 3 and maria.filter(status="risolta").exists()


def test_malformed_addresses_and_values_answer_404_or_a_message_never_500(client, urp):
    found = _request()
    client.force_login(urp)
    assert client.get(f"/admin/assistenza/{found.pk}/allegati/non-un-uuid/").status_code == 404
    assert client.get(f"/admin/assistenza/{found.pk}/allegati/domanda/").status_code == 404  # no file with the question
    response = client.post(f"/admin/assistenza/{found.pk}/", {"azione": "faq", "voce": "abc"}, follow=True)
    assert "Risposta non trovata" in response.content.decode()
    assert client.post(f"/admin/assistenza/{found.pk}/", {"azione": "boh"}, follow=True).status_code in (200, 400)
    assert client.get("/admin/assistenza/?stato=inventato&ufficio=x&q=%00").status_code == 200


def test_what_people_met_on_the_urp_desk(client, demo, urp, django_capture_on_commit_callbacks):
    """Issue 25 (16): Segna come risolta told the citizen nothing; asking from an application did not preselect its
    category; "arrivata all'ufficio Ufficio …"; FAQ of other services first; no link to the privacy notice."""
    citizen = make_citizen("maria")
    citizen.email_verified = True
    citizen.save()
    istanza = IstanzaFactory(owner=citizen, procedure_code="OEPAC", status=IstanzaStatus.PRESA_IN_CARICO, number="OEPAC_2026.0000004",
                             office=Office.objects.get(slug="municipio-1"), submitted_at=timezone.now())
    spid_login(client, citizen)
    page = client.get(f"{FORM}?pratica={istanza.public_id}").content.decode()
    assert re.search(r'<option value="educazione-e-formazione"[^>]*selected', page)
    assert re.search(r'<option value="iscrizione-oepac"[^>]*selected', page)
    assert "Leggi l&#x27;informativa sulla privacy" in page or "Leggi l'informativa sulla privacy" in page
    # an anonymous question: the desk resolves it, the citizen is told and can rate from the link
    anonymous = type(client)()
    found = _anonymous_request(anonymous, django_capture_on_commit_callbacks)
    sent = anonymous.get(f"/assistenza/{found.public_id}/inviata/").content.decode()
    assert "arrivata a: " in sent and "all&#x27;ufficio Ufficio" not in sent
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_resolve(request=found, by=urp)
    told = mail.outbox[-1]
    assert "risolta" in told.subject and "dare un voto" in told.body
    link = re.search(r"http://testserver(/assistenza/risposta/[^\s]+)", told.body).group(1)
    assert anonymous.get(link).status_code == 200


def test_the_faq_of_the_chosen_service_come_first(demo):
    from home.models import Faq
    from services.assistance.selectors import faq_suggestions
    from services.catalogue.models import Service

    with_service = list(Faq.objects.exclude(service=None).select_related("service"))
    first, second = next((a, b) for a in with_service for b in with_service if a.service.slug != b.service.slug)
    # a question with the words of both; the citizen chose the second one's service
    draft = AssistanceRequest(message=f"{first.question} {second.question}", service=Service.objects.get(slug=second.service.slug),
                              category_slug=Service.objects.get(slug=second.service.slug).category_slug)
    found = faq_suggestions(draft)
    assert found and found[0].service_slug == second.service.slug
    assert [e.service_slug for e in found].index(second.service.slug) < [e.service_slug for e in found].index(first.service.slug) \
        if first.service.slug in [e.service_slug for e in found] else True
