"""TRASPORTO enrollments on the applications engine: the stop and fee plan, one pagoPA notice per
installment on acceptance, re-enrollment prefilled from last year's record."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from services.core.clock import SchoolYear
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.meals.enrollment import family_debt
from services.meals.models import Wallet
from services.payments.models import PaymentPosition
from services.transport.models import FeePlan, PlanScope, Stop, TransportEnrollment
from tests.istanze.helpers import ANNA, child_step, make_operator, post_step, start
from tests.istanze.helpers import office_accept as accept

YEAR = SchoolYear.next()

pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_windows(settings):
    settings.PROCEDURE_WINDOWS = {"TRASPORTO": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}


@pytest.fixture
def operator(db):
    return make_operator("sara", "ufficio-scuola")


def bambino(**extra):
    return child_step(YEAR, **extra)


def submit_trasporto(client, plan_name="Andata e ritorno, due rate", direction="both"):
    istanza = start(client, "TRASPORTO")
    assert post_step(client, istanza, "bambino", bambino()).status_code == 302
    stop = Stop.objects.get(name="Via Mazzini")
    plan = FeePlan.objects.get(name=plan_name, school_year=YEAR.label)
    response = post_step(client, istanza, "trasporto", {"fermata": stop.pk, "direzione": direction, "piano": plan.pk})
    return istanza, response


def test_transport_enrollment_issues_one_notice_per_installment(client_maria, maria, operator, django_capture_on_commit_callbacks):
    istanza, response = submit_trasporto(client_maria, direction="to_school")
    assert response.status_code == 200 and "Questa quota vale per «Andata e ritorno»" in response.content.decode()
    plan = FeePlan.objects.get(name="Andata e ritorno, due rate", school_year=YEAR.label)
    assert post_step(client_maria, istanza, "trasporto", {"fermata": Stop.objects.get(name="Via Mazzini").pk, "direzione": "both",
                                                           "piano": plan.pk}).status_code == 302
    response = post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert "Conferma chi aspetta l&#x27;alunno alla fermata." in response.content.decode()
    post_step(client_maria, istanza, "dichiarazioni", {"fermata_adulto": "on", "privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == "ufficio-scuola"
    assert accept(operator, istanza, {}, django_capture_on_commit_callbacks).status_code == 302
    assert istanza.status == Status.ACCOLTA
    enrollment = TransportEnrollment.objects.get(istanza=istanza)
    assert (enrollment.stop.name, enrollment.direction, enrollment.school_year) == ("Via Mazzini", "both", YEAR.label)
    positions = list(PaymentPosition.objects.filter(owner=maria, purpose="transport-fee").order_by("due_date"))
    assert [p.amount for p in positions] == [Decimal("90.00"), Decimal("90.00")]
    assert [p.due_date for p in positions] == [i.due_date for i in plan.installments.all()]
    assert "rata 1 di 2, Anna Rossi" in positions[0].description
    tab = client_maria.get("/area-personale/pagamenti/").content.decode()
    assert tab.count("Trasporto scolastico") >= 2 and "90,00" in tab
    # a family with transport only sees its enrollment where the README says, on Conto mensa
    assert not Wallet.objects.filter(holder=maria).exists()
    account = client_maria.get(reverse("meals:wallet")).content.decode()
    assert "Non hai ancora un conto mensa" in account and "Anna Rossi" in account and "fermata Via Mazzini" in account
    # the transition runs once: archiving later adds nothing
    office = Client()
    office.force_login(operator)
    office.post(f"/admin/pratiche/{istanza.pk}/azione/archivia/")
    assert PaymentPosition.objects.filter(purpose="transport-fee").count() == 2


def test_transport_re_enrollment_prefills_the_stop(client_maria, maria, operator, django_capture_on_commit_callbacks):
    istanza, _ = submit_trasporto(client_maria)
    post_step(client_maria, istanza, "dichiarazioni", {"fermata_adulto": "on", "privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    accept(operator, istanza, {}, django_capture_on_commit_callbacks)
    TransportEnrollment.objects.update(school_year="2026/27")  # as if it were last year's
    istanza.data["bambino"]["anno_scolastico"] = "2026/27"
    Istanza.objects.filter(pk=istanza.pk).update(data=istanza.data)
    again = start(client_maria, "TRASPORTO")
    assert post_step(client_maria, again, "rinnovo", {"scelta": ANNA["codice_fiscale"]}).status_code == 302
    assert post_step(client_maria, again, "bambino", bambino()).status_code == 302
    page = client_maria.get(f"/area-personale/pratiche/{again.public_id}/compila/").content.decode()
    stop = Stop.objects.get(name="Via Mazzini")
    assert f'<option value="{stop.pk}" selected>' in page


def test_an_installment_already_due_gets_time_to_be_paid(client_maria, maria, operator, django_capture_on_commit_callbacks):
    plan = FeePlan.objects.get(name="Andata e ritorno, due rate", school_year=YEAR.label)
    first = plan.installments.first()
    first.due_date = timezone.localdate() - timedelta(days=3)
    first.save()
    istanza, _ = submit_trasporto(client_maria)
    post_step(client_maria, istanza, "dichiarazioni", {"fermata_adulto": "on", "privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    accept(operator, istanza, {}, django_capture_on_commit_callbacks)
    dues = sorted(PaymentPosition.objects.filter(purpose="transport-fee").values_list("due_date", flat=True))
    assert dues[0] == timezone.localdate() + timedelta(days=30) and family_debt(maria) == (Decimal("0.00"), Decimal("0.00"))


def test_fee_plans_match_the_scope():
    assert PlanScope.of("both") == "both" and PlanScope.of("from_school") == "one_way"
