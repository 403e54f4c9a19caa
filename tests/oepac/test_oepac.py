"""Procedure B, OEPAC: the citizen's wizard with attachments and preferences, and the Municipio's back-office."""

import csv
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from services.istanze.models import AttachmentAccess, Istanza
from services.istanze.states import Status
from services.oepac.models import Enrollment, Organisation
from services.oepac.procedure import school_years
from services.schools.models import School
from tests.istanze.helpers import compile_url, make_citizen, make_operator, post_step, spid_login, start

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PUPIL = {"nome": "Giulio", "cognome": "Rossi", "codice_fiscale": "RSSGLI19E10A271K", "data_nascita": "10/05/2019", "relazione": "genitore"}

pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_window(settings):
    settings.PROCEDURE_WINDOWS = {"OEPAC": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}


@pytest.fixture
def operator1(db):
    return make_operator("olga", "municipio-1")


@pytest.fixture
def operator2(db):
    return make_operator("oreste", "municipio-2")


def pdf(name="certificato.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def year():
    return school_years()[0][0]


def submit_new(client, school_code="ANEE81001D", captured=None):
    istanza = start(client, "OEPAC")
    assert post_step(client, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()}).status_code == 302
    assert post_step(client, istanza, "alunno", PUPIL).status_code == 302
    school = School.objects.get(code=school_code)
    assert post_step(client, istanza, "scuola", {"scuola": school.pk, "classe": "3ª A"}).status_code == 302
    files = {"certificazione": pdf(), "diagnosi": SimpleUploadedFile("diagnosi.png", PNG, content_type="image/png")}
    assert post_step(client, istanza, "allegati", {}, files=files).status_code == 302
    orgs = list(Organisation.objects.filter(ambiti=school.ambito).order_by("name"))
    assert post_step(client, istanza, "preferenze", {"preferenza_1": orgs[1].pk, "preferenza_2": orgs[0].pk}).status_code == 302
    response = post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert response["Location"].endswith("/riepilogo/")
    if captured:
        with captured(execute=True):
            client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    else:
        client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA
    return istanza


def test_new_enrollment_is_routed_to_the_schools_municipio(client_maria, maria):
    istanza = submit_new(client_maria)
    assert istanza.office.slug == "municipio-1" and istanza.number.startswith("OEPAC_")
    assert istanza.data["alunno"]["codice_fiscale"] == "RSSGLI19E10A271K"
    prefs = istanza.data["preferenze"]
    assert prefs["preferenza_1"] and prefs["preferenza_2"] and prefs["preferenza_1"] != prefs["preferenza_2"]
    files = list(istanza.attachments.order_by("field"))
    assert [(a.field, a.content_type, a.sensitive) for a in files] == [
        ("allegati-certificazione", "application/pdf", True), ("allegati-diagnosi", "image/png", True)]
    summary = str(istanza.summary)
    assert "1ª preferenza" in summary and "Primaria Dante Alighieri" in summary


def test_attachments_are_encrypted_at_rest_and_every_read_is_logged(client_maria, maria, settings):
    from pathlib import Path

    istanza = submit_new(client_maria)
    attachment = istanza.attachments.get(field="allegati-certificazione")
    on_disk = (Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name).read_bytes()
    assert PDF not in on_disk and b"%PDF" not in on_disk and "certificato" not in attachment.file.name
    response = client_maria.get(f"/area-personale/pratiche/allegati/{attachment.public_id}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"] == 'attachment; filename="certificato.pdf"'
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert AttachmentAccess.objects.filter(attachment=attachment, user=maria).count() == 1


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("finto.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"), "Il contenuto del file non è di un formato ammesso"),
    (SimpleUploadedFile("vuoto.pdf", b"", content_type="application/pdf"), "Il file inviato è vuoto"),
    (SimpleUploadedFile("grande.pdf", PDF + b"0" * 3000, content_type="application/pdf"), "il massimo è"),
    (SimpleUploadedFile("c" * 996 + ".pdf", PDF, content_type="application/pdf"), "Il nome del file è troppo lungo"),
])
def test_attachment_checks(client_maria, maria, settings, upload, message):
    settings.ATTACHMENT_MAX_BYTES = 2048
    istanza = start(client_maria, "OEPAC")
    post_step(client_maria, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()})
    post_step(client_maria, istanza, "alunno", PUPIL)
    post_step(client_maria, istanza, "scuola", {"scuola": School.objects.get(code="ANEE81001D").pk})
    response = post_step(client_maria, istanza, "allegati", {}, files={"certificazione": upload, "diagnosi": pdf("diagnosi.pdf")})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and message in page
    # the valid file is kept: the page says so and the step only needs the wrong one again
    assert "Già caricato: diagnosi.pdf" in page
    response = post_step(client_maria, istanza, "allegati", {}, files={"certificazione": pdf()})
    assert response.status_code == 302


def test_age_must_fit_the_school_order(client_maria, maria):
    istanza = start(client_maria, "OEPAC")
    post_step(client_maria, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()})
    post_step(client_maria, istanza, "alunno", PUPIL)
    secondary = School.objects.filter(order="secondaria_1").first()
    page = post_step(client_maria, istanza, "scuola", {"scuola": secondary.pk}).content.decode()
    assert "non può frequentare la scuola secondaria di primo grado" in page


def test_preferences_are_ordered_distinct_and_from_the_schools_ambito(client_maria, maria):
    istanza = start(client_maria, "OEPAC")
    post_step(client_maria, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()})
    post_step(client_maria, istanza, "alunno", PUPIL)
    school = School.objects.get(code="ANEE81001D")
    post_step(client_maria, istanza, "scuola", {"scuola": school.pk})
    post_step(client_maria, istanza, "allegati", {}, files={"certificazione": pdf(), "diagnosi": pdf("d.pdf")})
    page = client_maria.get(compile_url(istanza)).content.decode()
    inside = Organisation.objects.filter(ambiti=school.ambito)
    outside = Organisation.objects.exclude(ambiti=school.ambito).first()
    assert all(o.name in page for o in inside) and outside.name not in page
    first = inside.first()
    checks = [
        ({"preferenza_1": first.pk, "preferenza_2": first.pk}, "Questo organismo è già tra le tue preferenze."),
        ({"preferenza_2": first.pk}, "Indica almeno la prima preferenza."),
        ({"preferenza_1": first.pk, "preferenza_3": inside.last().pk}, "Compila le preferenze in ordine"),
        ({"preferenza_1": outside.pk}, "Scegli un organismo dell&#x27;elenco."),
    ]
    for data, message in checks:
        assert message in post_step(client_maria, istanza, "preferenze", data).content.decode()


def test_office_works_the_application_end_to_end(client_maria, maria, operator1, django_capture_on_commit_callbacks):
    istanza = submit_new(client_maria)
    office = Client()
    office.force_login(operator1)
    listing = office.get("/admin/istanze/istanza/").content.decode()
    assert istanza.number in listing and "RSSMRA85C52H501N" in listing
    inspect = f"/admin/istanze/istanza/inspect/{istanza.pk}/"
    page = office.get(inspect).content.decode()
    assert "Prendi in carico" in page and "Primaria Dante Alighieri" in page

    def act(action, data=None, files=None):
        payload = {f"{action}-{k}": v for k, v in (data or {}).items()}
        payload.update({f"{action}-{k}": v for k, v in (files or {}).items()})
        with django_capture_on_commit_callbacks(execute=True):
            return office.post(f"/admin/pratiche/{istanza.pk}/azione/{action}/", payload)

    assert act("accogli").status_code == 302  # not possible yet: a message, nothing changes
    assert Istanza.objects.get(pk=istanza.pk).status == Status.INVIATA
    assert act("prendi_in_carico").status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.PRESA_IN_CARICO and istanza.taken_in_charge_at and istanza.assigned_to == operator1

    response = act("richiedi_integrazione", {"note": ""})
    assert response.status_code == 400 and "Scrivi il motivo: serve per questo passaggio." in response.content.decode()
    mail.outbox.clear()
    assert act("richiedi_integrazione", {"note": "La diagnosi funzionale è illeggibile: caricala di nuovo."}).status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["maria.rossi@example.it"] and "illeggibile" in message.body
    assert f"/area-personale/pratiche/{istanza.public_id}/" in message.body
    history = office.get(inspect).content.decode()  # the office sees how the citizen was told, per channel
    assert "Avviso al cittadino" in history and "App IO: Consegnato" in history and "e-mail: Consegnato" in history

    # the citizen sees the request, replaces the file and resubmits the same application
    detail = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode().replace("&#x27;", "'")
    assert "L'ufficio ti ha chiesto di integrare la pratica." in detail and "illeggibile" in detail
    dashboard = client_maria.get("/area-personale/pratiche/").content.decode()
    assert "Hai 1 pratica da integrare" in dashboard
    desk = client_maria.get("/area-personale/").content.decode()
    assert "1 pratica da correggere" in desk and istanza.number in desk
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "Stai integrando la pratica" in page
    for step in ("tipo", "alunno", "scuola"):  # walk to the documents; what was sent is still there
        client_maria.post(compile_url(istanza), {"istanza-current_step": step, "azione": "avanti",
                                                 **{k: v[0] if len(v) == 1 else v for k, v in istanza.wizard["step_data"][step].items()}})
    new_scan = SimpleUploadedFile("diagnosi-nuova.pdf", PDF, content_type="application/pdf")
    assert post_step(client_maria, istanza, "allegati", {}, files={"diagnosi": new_scan}).status_code == 302
    prefs = {k: v[0] for k, v in istanza.wizard["step_data"]["preferenze"].items()}
    client_maria.post(compile_url(istanza), {"istanza-current_step": "preferenze", "azione": "avanti", **prefs})
    response = post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert response["Location"].endswith("/riepilogo/")
    assert "Invia l'integrazione" in client_maria.get(response["Location"]).content.decode().replace("&#x27;", "'")
    number = istanza.number
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.PRESA_IN_CARICO and istanza.number == number
    assert sorted(istanza.attachments.values_list("original_name", flat=True)) == ["certificato.pdf", "diagnosi-nuova.pdf"]

    # accept with the organisation assigned; the enrollment starts
    response = act("accogli", {"organismo": ""})
    assert response.status_code == 400 and "Scegli l&#x27;organismo assegnato." in response.content.decode()
    chosen = Organisation.objects.get(pk=istanza.data["preferenze"]["preferenza_1"])
    assert act("accogli", {"organismo": chosen.pk, "note": ""}).status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.ACCOLTA
    enrollment = Enrollment.objects.get(istanza=istanza)
    assert enrollment.organisation == chosen and enrollment.active and enrollment.school.code == "ANEE81001D"
    act_file = SimpleUploadedFile("determina.pdf", PDF, content_type="application/pdf")
    assert act("allega_atto", {"label": "Determina di assegnazione"}, {"file": act_file}).status_code == 302
    detail = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    assert "Accolta" in detail and "Determina di assegnazione" in detail and chosen.name in detail
    assert [e.to_status for e in istanza.events.all()] == [
        "bozza", "da_inviare", "inviata", "presa_in_carico", "in_attesa_di_integrazione", "presa_in_carico", "accolta", "accolta"]
    assert act("archivia").status_code == 302
    assert Istanza.objects.get(pk=istanza.pk).status == Status.ARCHIVIATA


def test_reject_requires_a_reason(client_maria, maria, operator1):
    istanza = submit_new(client_maria)
    office = Client()
    office.force_login(operator1)
    office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
    response = office.post(f"/admin/pratiche/{istanza.pk}/azione/respingi/", {"respingi-note": " "})
    assert response.status_code == 400 and "Scrivi il motivo: serve per questo passaggio." in response.content.decode()
    office.post(f"/admin/pratiche/{istanza.pk}/azione/respingi/", {"respingi-note": "Manca la certificazione L. 104."})
    assert Istanza.objects.get(pk=istanza.pk).status == Status.RESPINTA


def test_assign_to_a_colleague_of_the_same_office(client_maria, maria, operator1, operator2):
    istanza = submit_new(client_maria)
    colleague = make_operator("ottavia", "municipio-1")
    office = Client()
    office.force_login(operator1)
    response = office.post(f"/admin/pratiche/{istanza.pk}/azione/assegna/", {"assegna-user": operator2.pk})
    assert response.status_code == 400  # not in the office: not even offered
    office.post(f"/admin/pratiche/{istanza.pk}/azione/assegna/", {"assegna-user": colleague.pk})
    assert Istanza.objects.get(pk=istanza.pk).assigned_to == colleague


def test_another_offices_operator_can_neither_list_nor_open(client_maria, maria, operator2):
    istanza = submit_new(client_maria)
    attachment = istanza.attachments.first()
    office = Client()
    office.force_login(operator2)
    assert istanza.number not in office.get("/admin/istanze/istanza/").content.decode()
    assert office.get(f"/admin/istanze/istanza/inspect/{istanza.pk}/").status_code == 404
    assert office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/").status_code == 404
    assert office.get(f"/admin/pratiche/{istanza.pk}/ricevuta/").status_code == 404
    assert office.get(f"/area-personale/pratiche/allegati/{attachment.public_id}/").status_code == 404
    assert f"/inspect/{istanza.pk}/" not in office.get(f"/admin/istanze/istanza/?q={istanza.number}").content.decode()
    assert Istanza.objects.get(pk=istanza.pk).status == Status.INVIATA


def test_another_citizen_gets_404_for_every_object(client_maria, maria):
    istanza = submit_new(client_maria)
    attachment = istanza.attachments.first()
    luca = spid_login(Client(), make_citizen("luca"))
    base = f"/area-personale/pratiche/{istanza.public_id}"
    for url in (f"{base}/", f"{base}/riepilogo/", f"{base}/compila/", f"{base}/ricevuta/", f"{base}/inviata/",
                f"/area-personale/pratiche/allegati/{attachment.public_id}/"):
        assert luca.get(url).status_code == 404, url
    for url in (f"{base}/invia/", f"{base}/ritira/", f"{base}/importante/", f"{base}/riporta-in-bozza/", f"{base}/elimina-bozza/"):
        assert luca.post(url).status_code == 404, url
    assert luca.get("/admin/istanze/istanza/").status_code in (302, 403)
    assert not AttachmentAccess.objects.exists()


def test_receipt_pdf_for_the_owner(client_maria, maria):
    istanza = submit_new(client_maria)
    response = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/ricevuta/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="ricevuta-{istanza.number}.pdf"'


def test_withdraw_before_it_is_taken_in_charge(client_maria, maria):
    istanza = submit_new(client_maria)
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/ritira/")
    assert Istanza.objects.get(pk=istanza.pk).status == Status.ANNULLATA


def test_variazione_is_linked_to_the_active_enrollment(client_maria, maria, operator1):
    first = submit_new(client_maria)
    office = Client()
    office.force_login(operator1)
    office.post(f"/admin/pratiche/{first.pk}/azione/prendi_in_carico/")
    office.post(f"/admin/pratiche/{first.pk}/azione/accogli/", {"accogli-organismo": first.data["preferenze"]["preferenza_1"]})
    enrollment = Enrollment.objects.get(istanza=first)

    istanza = start(client_maria, "OEPAC")
    response = post_step(client_maria, istanza, "tipo", {"tipo": "variazione", "anno_scolastico": year()})
    assert "Per una variazione scegli l&#x27;iscrizione attiva" in response.content.decode()
    post_step(client_maria, istanza, "tipo", {"tipo": "variazione", "anno_scolastico": year(), "iscrizione": enrollment.pk})
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "Passo 2 di 3" in page and "Tipo di variazione" in page
    response = post_step(client_maria, istanza, "variazione", {"tipo_variazione": "ore", "cambia_scuola": "on", "descrizione": "x"})
    assert "presenta una nuova iscrizione" in response.content.decode()
    post_step(client_maria, istanza, "variazione", {"tipo_variazione": "ore", "descrizione": "Servono due ore in più al giorno."})
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == "municipio-1"
    assert "alunno" not in istanza.data and istanza.data["tipo"]["iscrizione"] == enrollment.pk


def test_another_familys_enrollment_cannot_be_varied(client_maria, maria):
    luca = make_citizen("luca")
    other = Istanza.objects.create(owner=luca, procedure_code="OEPAC", status=Status.ACCOLTA, number="OEPAC_2026.9999999")
    foreign = Enrollment.objects.create(istanza=other, owner=luca, pupil_fiscal_code="RSSNNA23B43A271Y", pupil_name="Anna Rossi",
                                        school=School.objects.first(), school_year=year())
    istanza = start(client_maria, "OEPAC")
    response = post_step(client_maria, istanza, "tipo", {"tipo": "variazione", "anno_scolastico": year(), "iscrizione": foreign.pk})
    assert response.status_code == 200 and "Scegli una delle tue iscrizioni attive." in response.content.decode()


def test_export_and_filters(client_maria, maria, operator1):
    istanza = submit_new(client_maria)
    office = Client()
    office.force_login(operator1)
    response = office.get("/admin/istanze/istanza/?export=csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(istanza.number in row for row in rows)
    xlsx = office.get("/admin/istanze/istanza/?export=xlsx&procedura=OEPAC")
    body = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    assert xlsx.status_code == 200 and body[:2] == b"PK"
    assert istanza.number in office.get("/admin/istanze/istanza/?q=RSSMRA85C52H501N").content.decode()
    assert istanza.number not in office.get("/admin/istanze/istanza/?procedura=SERV06_UTENTI").content.decode()
    assert istanza.number in office.get("/admin/istanze/istanza/?status__exact=inviata").content.decode()
    assert "private" in office.get("/admin/istanze/istanza/")["Cache-Control"]


def test_dashboard_panel_counts_and_overdue(client_maria, maria, operator1):
    import datetime

    istanza = submit_new(client_maria)
    Istanza.objects.filter(pk=istanza.pk).update(due_date=datetime.date(2020, 1, 1))
    office = Client()
    office.force_login(operator1)
    page = office.get("/admin/").content.decode()
    assert "Pratiche dei tuoi uffici" in page and "1 pratica oltre la data massima di conclusione" in page and istanza.number in page


def test_service_rating_after_submission(client_maria, maria, operator1):
    from services.istanze.models import ProcedureRating

    istanza = submit_new(client_maria)
    url = f"/area-personale/pratiche/{istanza.public_id}/inviata/"
    response = client_maria.post(url, {"rating": "2", "answer": "chiare"})
    assert response.status_code == 400 and "Scegli una risposta alla domanda che corrisponde alle stelle date." in response.content.decode()
    assert client_maria.post(url, {"rating": "5", "answer": "chiare", "comment": "Comodo"}).status_code == 302
    client_maria.post(url, {"rating": "1", "answer": "problemi-tecnici"})  # only one rating per application
    assert list(ProcedureRating.objects.values_list("procedure_code", "rating")) == [("OEPAC", 5)]
    office = Client()
    office.force_login(operator1)
    page = office.get("/admin/istanze/procedurerating/").content.decode()
    assert "Servizio OEPAC" in page and "5,0" in page


def test_closed_applications_are_minimised_after_retention(client_maria, maria, operator1, settings, django_capture_on_commit_callbacks):
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    from services.istanze.actions import istanze_minimise_expired
    from services.istanze.tasks import minimise_expired_istanze

    istanza = submit_new(client_maria)
    files = [Path(settings.PRIVATE_MEDIA_ROOT) / name for name in istanza.attachments.values_list("file", flat=True)]
    assert all(f.exists() for f in files)
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/ritira/")
    retention = istanza.procedure.retention_days
    assert istanze_minimise_expired(now=timezone.now() + timedelta(days=retention - 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert istanze_minimise_expired(now=timezone.now() + timedelta(days=retention + 1)) == 1
    istanza.refresh_from_db()
    assert istanza.data == {} and istanza.wizard == {} and istanza.summary == [] and not istanza.attachments.exists()
    assert istanza.number and istanza.status == Status.ANNULLATA and not any(f.exists() for f in files)
    assert istanza.events.last().note.startswith("Dati della domanda cancellati")
    assert minimise_expired_istanze.delay().get() == 0  # nothing left to do


def test_back_office_pages_answer(client_maria, maria, operator1, superuser):
    istanza = submit_new(client_maria)
    office = Client()
    office.force_login(operator1)
    office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
    office.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/", {"accogli-organismo": istanza.data["preferenze"]["preferenza_1"]})
    page = office.get("/admin/oepac/enrollment/").content.decode()
    assert "Giulio Rossi" in page
    other = Client()
    other.force_login(make_operator("oreste", "municipio-2"))
    assert "Giulio Rossi" not in other.get("/admin/oepac/enrollment/").content.decode()
    admin = Client()
    admin.force_login(superuser)
    for url in ("/admin/snippets/schools/school/", "/admin/snippets/oepac/organisation/", "/admin/snippets/schools/ambito/",
                "/admin/istanze/procedurerating/", "/admin/oepac/enrollment/?organismo=1", "/admin/istanze/istanza/?scadenza=scadute"):
        assert admin.get(url).status_code == 200, url


def test_the_download_log_outlives_a_replaced_file(client_maria, maria, operator1):
    istanza = submit_new(client_maria)
    attachment = istanza.attachments.get(field="allegati-diagnosi")
    office = Client()
    office.force_login(operator1)
    assert office.get(f"/area-personale/pratiche/allegati/{attachment.public_id}/").status_code == 200
    attachment.delete()  # what happens when the citizen replaces it during an integration
    access = AttachmentAccess.objects.get(user=operator1)
    assert access.attachment is None and access.istanza_id == istanza.pk and access.file_name == "diagnosi.png"


def test_a_second_new_enrollment_for_the_same_pupil_and_year_is_refused_at_the_pupil_step(client_maria, maria):
    """Issue 25 (9): OEPAC accepted a second new enrollment while the first was pending (MENSA and TRASPORTO refuse)."""
    first = submit_new(client_maria)
    istanza = start(client_maria, "OEPAC")
    post_step(client_maria, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()})
    response = post_step(client_maria, istanza, "alunno", PUPIL)
    page = response.content.decode()
    assert response.status_code != 302 and first.number in page and "già una domanda di nuova iscrizione" in page
    assert 'value="RSSGLI19E10A271K"' in page  # what was typed stays
    # another pupil goes on
    other = {**PUPIL, "nome": "Luca", "cognome": "Bianchi", "codice_fiscale": "BNCLCU19E10A271I"}
    assert post_step(client_maria, istanza, "alunno", other).status_code == 302


def test_luca_chooses_marco_from_his_certified_family_and_the_birth_date_comes_from_anpr(client, db):
    from django.core.cache import cache

    cache.clear()
    spid_login(client, make_citizen("luca"))
    istanza = start(client, "OEPAC")
    post_step(client, istanza, "tipo", {"tipo": "nuova", "anno_scolastico": year()})
    page = client.get(compile_url(istanza)).content.decode().replace("&#x27;", "'")
    assert "Marco Bianchi, nato/a il 03/04/2017 — dato certificato da ANPR" in page
    assert post_step(client, istanza, "alunno", {"figlio": "BNCMRC17D03H501D", "relazione": "genitore"}).status_code == 302
    school = School.objects.get(code="ANEE81001D")
    assert post_step(client, istanza, "scuola", {"scuola": school.pk, "classe": "3ª A"}).status_code == 302
    files = {"certificazione": pdf(), "diagnosi": pdf("diagnosi.pdf")}
    assert post_step(client, istanza, "allegati", {}, files=files).status_code == 302
    orgs = list(Organisation.objects.filter(ambiti=school.ambito).order_by("name"))
    post_step(client, istanza, "preferenze", {"preferenza_1": orgs[1].pk, "preferenza_2": orgs[0].pk})
    response = post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert response["Location"].endswith("/riepilogo/")
    istanza.refresh_from_db()
    pupil = istanza.data["alunno"]
    assert (pupil["nome"], pupil["codice_fiscale"], pupil["data_nascita"], pupil["fonte_dati"]) == (
        "Marco", "BNCMRC17D03H501D", "2017-04-03", "anpr")
