"""The schools' portal: the activation request on the engine makes the school's Master (one per school, the previous one
disabled and told); the Master adds users by codice fiscale with functions; a school sees only its own pupils."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from services.accounts.actions import identity_attested
from services.istanze.states import Actor, Status
from services.notifications.models import Message
from services.oepac.models import Enrollment
from services.schools import actions, selectors
from services.schools.models import School, SchoolRole, SchoolRoleEvent
from tests.factories import IstanzaFactory, UserFactory
from tests.istanze.helpers import make_citizen, make_operator, post_step, spid_login, start

SCHOOL_A, SCHOOL_B = "ANEE81001D", "ANEE81002E"
GIULIA = "SPSGLI75L65F839U"  # the demo IdP's school head
TEACHER = "RSSMRA85C52H501N"


@pytest.fixture
def school_a(registries):
    return School.objects.get(code=SCHOOL_A)


@pytest.fixture
def head(school_a):
    user = UserFactory(fiscal_code=GIULIA, username=GIULIA, first_name="Giulia", last_name="Esposito")
    role, _previous = actions.master_activate(school=school_a, fiscal_code=GIULIA, user=user)
    return user, role


def test_one_active_master_per_school_the_previous_one_disabled_and_told(school_a, head):
    user, first = head
    other = UserFactory(fiscal_code="BNCLCU82S02A271A", username="luca")
    second, previous = actions.master_activate(school=school_a, fiscal_code=other.fiscal_code, user=other)
    first.refresh_from_db()
    assert previous == first and first.state == SchoolRole.State.REPLACED and second.state == SchoolRole.State.ACTIVE
    assert SchoolRole.objects.filter(school=school_a, kind="master", state="active").get() == second
    assert Message.objects.filter(kind="schools.master_replaced", user=user).count() == 1
    assert list(SchoolRoleEvent.objects.filter(role=first).values_list("action", flat=True)) == ["replaced", "master_activated"]
    # the database itself refuses a second active Master
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolRole.objects.create(school=school_a, fiscal_code="FRRPLA68A14L219Z", kind="master", state="active")


def test_the_master_adds_a_user_bound_at_their_first_login_with_its_functions(client, head):
    user, master = head
    role = actions.role_add(master=master, fiscal_code=TEACHER.lower(), functions=["meals"], by=user)
    assert role.user is None and role.valid_until is not None and role.fiscal_code == TEACHER
    teacher = make_citizen("maria")  # same codice fiscale, first login
    spid_login(client, teacher)
    role.refresh_from_db()
    assert role.user == teacher
    assert selectors.role_for(teacher, SCHOOL_A, "meals") == role
    assert selectors.role_for(teacher, SCHOOL_A, "oepac") is None
    with pytest.raises(actions.RoleError, match="già tra gli utenti"):
        actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac"], by=user)
    with pytest.raises(actions.RoleError, match="non è valido"):
        actions.role_add(master=master, fiscal_code="RSSMRA85C52H501X", functions=["oepac"], by=user)
    with pytest.raises(actions.RoleError, match="almeno una funzione"):
        actions.role_add(master=master, fiscal_code="BNCLCU82S02A271A", functions=["pulizie"], by=user)


def test_suspended_removed_or_expired_users_see_nothing_and_the_master_cannot_remove_themself(head):
    user, master = head
    teacher = make_citizen("maria")
    identity_attested(user=teacher, method="spid", level=2)  # signed in with SPID before: bound at once
    role = actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac"], by=user)
    actions.role_state_set(master=master, role_id=role.pk, action="suspend", by=user)
    assert selectors.role_for(teacher, SCHOOL_A) is None
    actions.role_state_set(master=master, role_id=role.pk, action="reactivate", by=user)
    assert selectors.role_for(teacher, SCHOOL_A, "oepac") == role
    role.refresh_from_db()
    assert selectors.role_for(teacher, SCHOOL_A, today=role.valid_until + timedelta(days=1)) is None  # the school year ended
    actions.role_renew(master=master, role_id=role.pk, by=user)
    role.refresh_from_db()
    assert selectors.role_for(teacher, SCHOOL_A, today=role.valid_until - timedelta(days=1)) == role
    with pytest.raises(actions.RoleError, match="Master non si modifica"):
        actions.role_state_set(master=master, role_id=master.pk, action="remove", by=user)
    actions.role_state_set(master=master, role_id=role.pk, action="remove", by=user)
    assert selectors.role_for(teacher, SCHOOL_A) is None


def _enrollment(school_code, name):
    owner = UserFactory()
    istanza = IstanzaFactory(owner=owner, procedure_code="OEPAC", status=Status.ACCOLTA, number=f"OEPAC_2026.{abs(hash(name)) % 10**7:07d}")
    return Enrollment.objects.create(istanza=istanza, owner=owner, pupil_fiscal_code=f"PPL{abs(hash(name)) % 10**13:013d}"[:16],
                                     pupil_name=name, school=School.objects.get(code=school_code), school_year="2026/2027")


def test_a_school_sees_its_own_pupils_enrollments_and_never_another_schools(client, head):
    user, master = head
    _enrollment(SCHOOL_A, "Alunno della scuola A")
    _enrollment(SCHOOL_B, "Alunno della scuola B")
    spid_login(client, user)
    page = client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Alunno della scuola A" in text and "Alunno della scuola B" not in text
    csv_text = client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/csv/").content.decode("utf-8-sig")
    assert "Alunno della scuola A" in csv_text and "Alunno della scuola B" not in csv_text
    for url in (f"/area-personale/scuola/{SCHOOL_B}/oepac/", f"/area-personale/scuola/{SCHOOL_B}/oepac/csv/",
                f"/area-personale/scuola/{SCHOOL_B}/utenti/"):
        assert client.get(url).status_code == 404


def test_a_generic_user_without_the_oepac_function_cannot_open_the_enrollments(client, head):
    user, master = head
    actions.role_add(master=master, fiscal_code=TEACHER, functions=["meals"], by=user)
    spid_login(client, make_citizen("maria"))
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/").status_code == 404
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/utenti/").status_code == 404  # not the Master
    home = client.get("/area-personale/scuola/").content.decode()
    assert "Primaria Dante Alighieri" in home and "/oepac/" not in home


def test_the_master_manages_users_from_the_area_scuola(client, head):
    user, master = head
    spid_login(client, user)
    url = f"/area-personale/scuola/{SCHOOL_A}/utenti/"
    response = client.post(url, {"fiscal_code": "abc", "functions": ["oepac"]})
    assert response.status_code == 400 and "non è valido" in response.content.decode() and 'value="abc"' in response.content.decode()
    assert client.post(url, {"fiscal_code": TEACHER, "functions": ["oepac", "meals"]}).status_code == 302
    role = SchoolRole.objects.get(school=master.school, fiscal_code=TEACHER)
    assert role.functions == ["meals", "oepac"]
    saved = client.post(f"{url}{role.pk}/", {"azione": "funzioni", "functions": ["transport"]}, follow=True).content.decode()
    assert f"Funzioni di {TEACHER} salvate." in saved
    # Sospendi and Rimuovi ask first (issue 25/14); the answer acts, and says who
    asked = client.post(f"{url}{role.pk}/", {"azione": "suspend"})
    role.refresh_from_db()
    assert asked.status_code == 200 and "Sospendere" in asked.content.decode() and role.state == "active"
    done = client.post(f"{url}{role.pk}/", {"azione": "suspend", "conferma": "1"}, follow=True).content.decode()
    role.refresh_from_db()
    assert role.functions == ["transport"] and role.state == "suspended" and f"{TEACHER} è sospeso" in done
    page = client.get(url).content.decode()
    assert "funzioni modificate" in page and "sospeso" in page
    # a removed user can be reactivated
    client.post(f"{url}{role.pk}/", {"azione": "remove", "conferma": "1"})
    role.refresh_from_db()
    assert role.state == "removed"
    client.post(f"{url}{role.pk}/", {"azione": "reactivate"})
    role.refresh_from_db()
    assert role.state == "active"
    # another school's user cannot be changed from this school's page
    other_master, _ = actions.master_activate(school=School.objects.get(code=SCHOOL_B), fiscal_code="FRRPLA68A14L219Z")
    stranger = SchoolRole.objects.create(school=other_master.school, fiscal_code="BNCLCU82S02A271A", functions=["oepac"])
    response = client.post(f"{url}{stranger.pk}/", {"azione": "remove", "conferma": "1"})
    stranger.refresh_from_db()
    assert stranger.state == "active" and response.status_code == 404


def test_the_activation_request_on_the_engine_makes_the_requester_master(client, head, school_a, django_capture_on_commit_callbacks):
    from services.istanze.actions import istanza_transition

    old_user, old_master = head
    requester = make_citizen("luca")
    spid_login(client, requester)
    istanza = start(client, "SCUOLA_ATTIVAZIONE")
    response = post_step(client, istanza, "scuola", {"scuola": SCHOOL_A, "pec": "scuola@pec.example.it", "ruolo": "delegato"})
    assert "deve allegare la delega" in response.content.decode()
    assert post_step(client, istanza, "scuola", {"scuola": SCHOOL_A, "pec": "scuola@pec.example.it", "ruolo": "dirigente"}).status_code == 302
    assert post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"}).status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/").status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == "ufficio-scuola"

    # a second request for the same school while this one is open is refused on the school step
    other = UserFactory(fiscal_code="FRRPLA68A14L219Z", username="paolo")
    spid_login(client, other)
    second = start(client, "SCUOLA_ATTIVAZIONE")
    response = post_step(client, second, "scuola", {"scuola": SCHOOL_A, "pec": "x@pec.example.it", "ruolo": "dirigente"})
    assert "già una richiesta di attivazione in esame" in response.content.decode()

    operator = make_operator("sara", "ufficio-scuola")
    istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
    with django_capture_on_commit_callbacks(execute=True):
        istanza_transition(istanza=istanza, to=Status.ACCOLTA, by=operator, actor_kind=Actor.OFFICE)
    assert selectors.master_for(requester, SCHOOL_A) is not None
    # the requester is told what the approval means and where to go (issue 25/14)
    from services.notifications.models import Message

    told = Message.objects.filter(user=requester, kind="istanze.outcome").latest("pk")
    assert "Utente Master della scuola Primaria Dante Alighieri" in told.body and "Area scuola" in told.body
    old_master.refresh_from_db()
    assert old_master.state == SchoolRole.State.REPLACED


def test_the_activation_needs_spid_or_cie(client, registries):
    from tests.istanze.helpers import spid_login as login

    login(client, make_citizen("luca"), method="local")
    response = client.get("/area-personale/pratiche/nuova/SCUOLA_ATTIVAZIONE/")
    assert response.status_code == 403 and "SPID o CIE" in response.content.decode()


def test_roles_are_unaffected_by_time_zone_edges(head):
    """A generic user's role ends with the school year, on Rome's date."""
    user, master = head
    role = actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac"], by=user)
    assert role.valid_until.month == 8 and role.valid_until.day == 31
    assert role.valid_until >= timezone.localdate()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_never_make_two_masters():
    import threading

    from django.db import connections

    from services.accounts.models import Office
    from services.schools.models import Ambito

    office = Office.objects.create(name="Municipio di prova", slug="municipio-prova")
    school = School.objects.create(code="ANEE77777Z", name="Primaria di prova", order="primaria",
                                   ambito=Ambito.objects.create(name="Ambito di prova", office=office))
    codes = ["RSSMRA85C52H501N", "BNCLCU82S02A271A", "SPSGLI75L65F839U", "FRRPLA68A14L219Z", "RSSSRA90P70F205P"]
    errors = []
    barrier = threading.Barrier(len(codes))

    def work(code):
        try:
            barrier.wait()
            actions.master_activate(school=school, fiscal_code=code)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(code,)) for code in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SchoolRole.objects.filter(school=school, kind="master", state="active").count() == 1
    assert SchoolRole.objects.filter(school=school, kind="master", state="replaced").count() == len(codes) - 1


def test_school_groups_hold_no_global_permission_on_children_or_meals(db):
    from django.contrib.auth.models import Group

    for name in ("School master", "School user"):
        assert not Group.objects.get(name=name).permissions.filter(content_type__app_label="meals").exists()


@pytest.fixture
def pupils(school_a):
    from datetime import date

    from services.meals.actions import wallet_get_or_create
    from services.meals.models import Child, FeeBand

    wallet = wallet_get_or_create(holder=UserFactory())
    band = FeeBand.objects.first()
    made = [Child.objects.create(wallet=wallet, first_name=name, last_name="Bianchi", fiscal_code=cf, school=school, school_class=klass,
                                 fee_band=band, service_from=date(2020, 9, 1))
            for name, cf, school, klass in (("Ada", "BNCDAA16A41H501X", school_a, "1A"), ("Bruno", "BNCBRN16A01H501X", school_a, "2B"),
                                            ("Carlo", "BNCCRL16A01H501X", School.objects.get(code=SCHOOL_B), "1A"))]
    return made


def _school_morning(settings, monkeypatch, open_):
    """Today as a school day, before (or after) the cut-off."""
    from services.meals import days, school_views

    monkeypatch.setattr(school_views, "is_school_day", lambda day, school_id=None: True)
    monkeypatch.setattr(days, "is_school_day", lambda day, school_id=None, breaks=None: True)  # as meal_change_set reads it
    monkeypatch.setattr(school_views, "can_change", lambda day, now=None, school_id=None, times=None: open_)


def test_the_school_records_absences_before_the_cut_off_for_its_pupils_only(client, head, pupils, settings, monkeypatch):
    from services.meals.models import MealChange

    user, master = head
    actions.role_add(master=master, fiscal_code=TEACHER, functions=["meals"], by=user)
    spid_login(client, make_citizen("maria"))
    _school_morning(settings, monkeypatch, open_=True)
    url = f"/area-personale/scuola/{SCHOOL_A}/mensa/"
    page = client.get(url).content.decode()
    assert "Classe 1A" in page and "Classe 2B" in page and "Bianchi Ada" in page and "Bianchi Carlo" not in page
    ada, bruno, carlo = pupils
    response = client.post(url, {f"stato-{ada.pk}": "absent", f"stato-{bruno.pk}": "plain", f"stato-{carlo.pk}": "absent"})
    assert response.status_code == 302
    today = timezone.localdate()
    assert dict(MealChange.objects.filter(day=today).values_list("child__first_name", "kind")) == {"Ada": "absent", "Bruno": "plain"}
    page = client.get(url).content.decode()
    assert "Presenze salvate: 2 modifiche." in page
    assert client.get(f"/area-personale/scuola/{SCHOOL_B}/mensa/").status_code == 404
    csv_text = client.get(f"{url}csv/").content.decode("utf-8-sig")
    assert "1A;Bianchi;Ada;Assente" in csv_text and "Carlo" not in csv_text
    assert client.get(f"/area-personale/scuola/{SCHOOL_B}/mensa/csv/").status_code == 404


def test_after_the_cut_off_the_school_can_no_longer_change_the_day(client, head, pupils, settings, monkeypatch):
    from services.meals.models import MealChange

    user, _master = head
    spid_login(client, user)
    _school_morning(settings, monkeypatch, open_=False)
    response = client.post(f"/area-personale/scuola/{SCHOOL_A}/mensa/", {f"stato-{pupils[0].pk}": "absent"}, follow=True)
    assert "si registrano entro le" in response.content.decode() and not MealChange.objects.exists()


def test_a_user_without_the_meals_function_cannot_open_the_attendance(client, head, pupils):
    user, master = head
    actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac"], by=user)
    spid_login(client, make_citizen("maria"))
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/mensa/").status_code == 404


def test_the_demo_enables_two_schools_and_has_a_request_waiting(registries, settings, client):
    import io

    from django.core.management import call_command

    from home.models import ServicePage
    from services.istanze.models import Istanza

    settings.DEMO = True
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())  # idempotent
    masters = SchoolRole.objects.filter(kind="master", state="active")
    assert sorted(masters.values_list("school__code", flat=True)) == ["ANEE81001D", "ANMM81001C"]
    assert masters.get(school__code="ANEE81001D").fiscal_code == GIULIA
    assert SchoolRole.objects.filter(kind="generic", state="active").count() == 2
    request = Istanza.objects.get(procedure_code="SCUOLA_ATTIVAZIONE")
    assert request.status == Status.INVIATA and request.office.slug == "ufficio-scuola" and request.number
    # Giulia's first SPID login binds her role: the Area scuola is hers
    giulia = UserFactory(fiscal_code=GIULIA, username=GIULIA)
    spid_login(client, giulia)
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/utenti/").status_code == 200
    page = ServicePage.objects.get(slug="accreditamento-scuole-oepac")
    assert page.online_module == "SCUOLA_ATTIVAZIONE"


def test_the_school_sees_its_pupils_on_the_school_bus_by_class(client, head):
    from services.transport.models import FeePlan, Stop, TransportEnrollment

    user, master = head
    stop, plan = Stop.objects.first(), FeePlan.objects.first()
    for school_code, name, klass in ((SCHOOL_A, "Ada", "1A"), (SCHOOL_A, "Bruno", "2B"), (SCHOOL_B, "Carlo", "1A")):
        owner = UserFactory()
        TransportEnrollment.objects.create(
            istanza=IstanzaFactory(owner=owner, procedure_code="TRASPORTO", status=Status.ACCOLTA), holder=owner,
            first_name=name, last_name="Bianchi", fiscal_code=f"BNC{name.upper():<3.3}16A41H501X"[:16],
            school=School.objects.get(code=school_code), school_class=klass, school_year="2026/27", stop=stop,
            direction="both", fee_plan=plan)
    actions.role_add(master=master, fiscal_code=TEACHER, functions=["transport"], by=user)
    spid_login(client, make_citizen("maria"))
    page = client.get(f"/area-personale/scuola/{SCHOOL_A}/trasporto/").content.decode()
    assert "Classe 1A" in page and "Classe 2B" in page and "Bianchi Ada" in page and "Carlo" not in page
    csv_text = client.get(f"/area-personale/scuola/{SCHOOL_A}/trasporto/csv/").content.decode("utf-8-sig")
    assert "Ada" in csv_text and "Carlo" not in csv_text
    assert client.get(f"/area-personale/scuola/{SCHOOL_B}/trasporto/").status_code == 404
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/").status_code == 404  # not their function


def test_a_renamed_school_keeps_its_users(client, head, school_a):
    user, master = head
    school_a.name = "Primaria Dante Alighieri (nuova sede)"
    school_a.save()
    spid_login(client, user)
    assert "nuova sede" in client.get("/area-personale/scuola/").content.decode()
    assert selectors.master_for(user, SCHOOL_A) == master


def test_health_documents_only_where_the_comune_granted_them_and_every_read_logged(client, head, school_a):
    from django.core.files.base import ContentFile

    from services.istanze.models import Attachment, AttachmentAccess

    user, master = head
    mine, theirs = _enrollment(SCHOOL_A, "Alunno della scuola A"), _enrollment(SCHOOL_B, "Alunno della scuola B")
    documents = []
    for enrollment in (mine, theirs):
        doc = Attachment(istanza=enrollment.istanza, field="diagnosi", label="Diagnosi funzionale", original_name="diagnosi.pdf",
                         content_type="application/pdf", size=8, sensitive=True)
        doc.file.save("diagnosi.pdf", ContentFile(b"%PDF-1.4"), save=True)
        documents.append(doc)
    url = f"/area-personale/scuola/{SCHOOL_A}/oepac/documenti/{documents[0].public_id}/"
    # not granted: not offered to the Master either, and the Master cannot give the function
    spid_login(client, user)
    assert "Diagnosi funzionale" not in client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/").content.decode()
    assert client.get(url).status_code == 404
    with pytest.raises(actions.RoleError):
        actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac_health"], by=user)
    assert "oepac_health" not in client.get(f"/area-personale/scuola/{SCHOOL_A}/utenti/").content.decode()
    # granted by the Comune: the Master gives it to a teacher, who reads the school's own documents, each read logged
    school_a.health_documents = True
    school_a.save()
    actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac", "oepac_health"], by=user)
    teacher = make_citizen("maria")
    spid_login(client, teacher)
    assert "Diagnosi funzionale" in client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"%PDF-1.4" and "no-store" in response["Cache-Control"]
    assert AttachmentAccess.objects.filter(attachment=documents[0], user=teacher).count() == 1
    # another school's pupil's document, through this school's address: 404 and nothing logged
    assert client.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/documenti/{documents[1].public_id}/").status_code == 404
    assert not AttachmentAccess.objects.filter(attachment=documents[1]).exists()
    # a colleague with the OEPAC function only sees the list without the documents
    other = actions.role_add(master=master, fiscal_code="BNCLCU82S02A271A", functions=["oepac"], by=user)
    assert not other.has_function("oepac_health")


def test_a_local_sign_up_with_a_teachers_codice_fiscale_gets_neither_the_role_nor_the_roster(client, head):
    """Issue 24 (a), as tried: the Master adds a teacher by codice fiscale; somebody signs up locally with it, confirms
    an e-mail and signs in. Nothing binds, and the OEPAC roster stays closed; the real teacher's SPID login binds it."""
    import re

    from django.core import mail
    from django.test import Client

    user, master = head
    _enrollment(SCHOOL_A, "Alunno della scuola A")
    role = actions.role_add(master=master, fiscal_code=TEACHER, functions=["oepac"], by=user)
    password = "password-dell-attaccante-42"
    response = client.post("/account/signup/", {"first_name": "Finto", "last_name": "Docente", "fiscal_code": TEACHER,
                                                "email": "finto@example.net", "password1": password, "password2": password})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/account/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    client.post(link)
    client.logout()
    assert client.post("/account/login/", {"login": "finto@example.net", "password": password}).status_code == 302
    role.refresh_from_db()
    assert role.user is None
    for url in (f"/area-personale/scuola/{SCHOOL_A}/oepac/", f"/area-personale/scuola/{SCHOOL_A}/oepac/csv/"):
        assert client.get(url).status_code == 404
    teacher = Client()
    from tests.accounts.saml_helpers import full_login

    full_login(teacher, "maria.rossi")  # the demo IdP's Maria Rossi has the teacher's codice fiscale
    role.refresh_from_db()
    assert role.user is not None and role.user.fiscal_code_attested
    assert "Alunno della scuola A" in teacher.get(f"/area-personale/scuola/{SCHOOL_A}/oepac/csv/").content.decode("utf-8-sig")


def test_a_waiting_master_role_binds_only_at_an_attested_login(client, school_a):
    """The school's Master approved before ever signing in: a declared account with that codice fiscale stays out."""
    from services.accounts.models import User

    role, _previous = actions.master_activate(school=school_a, fiscal_code=GIULIA, user=None)
    squatter = User.objects.create_user("locale-" + GIULIA, fiscal_code=GIULIA, fiscal_code_source="declared", password="x" * 14)
    client.force_login(squatter)
    role.refresh_from_db()
    assert role.user is None and client.get(f"/area-personale/scuola/{SCHOOL_A}/utenti/").status_code == 404
    head = User.objects.create_user(GIULIA, fiscal_code=GIULIA)
    spid_login(client, head)
    role.refresh_from_db()
    assert role.user == head


def test_a_day_without_school_shows_no_meals_no_one_present_and_says_why(client, head, pupils, monkeypatch):
    """Issue 25 (8): "Oggi non è un giorno di scuola" was followed by Pasti di oggi with pupils Presente, a CSV of them
    present, and a save refused with the 09:00 reason."""
    from services.meals import school_views
    from services.meals.models import MealChange

    user, _master = head
    spid_login(client, user)
    monkeypatch.setattr(school_views, "is_school_day", lambda day, school_id=None: False)
    monkeypatch.setattr(school_views, "can_change", lambda day: True)
    url = f"/area-personale/scuola/{SCHOOL_A}/mensa/"
    page = client.get(url).content.decode()
    assert "Oggi non è un giorno di scuola" in page and "Pasti di oggi" not in page and "Bianchi Ada" not in page
    assert "Salva le presenze" not in page
    csv_text = client.get(f"{url}csv/").content.decode("utf-8-sig")
    assert "presente" not in csv_text.lower().split("\n", 1)[1] and "giorno senza scuola" in csv_text
    response = client.post(url, {f"stato-{pupils[0].pk}": "absent"}, follow=True)
    text = response.content.decode()
    assert "non ci sono presenze da registrare" in text and "entro le" not in text and not MealChange.objects.exists()
    assert text.count("non ci sono presenze da registrare") == 1  # said once (issue 25/10)


def test_meals_per_diet_below_three_are_not_shown_to_the_school(client, head, pupils, settings, monkeypatch):
    """Issue 25 (15): next to a one-pupil class the count told a teacher a child's diet."""
    user, _master = head
    from services.meals.models import Diet

    ada = pupils[0]
    ada.diet = next(d for d in Diet.values if d != Diet.STANDARD)  # one child of the school on a special diet
    ada.save()
    spid_login(client, user)
    _school_morning(settings, monkeypatch, open_=True)
    page = client.get(f"/area-personale/scuola/{SCHOOL_A}/mensa/").content.decode()
    assert "meno di 3" in page
