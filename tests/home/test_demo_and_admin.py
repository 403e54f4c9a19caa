import datetime
import io

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page, Workflow

import pytest

from home.models import Faq, NewsPage, Office, ServicePage, Topic


def _counts():
    return (Page.objects.count(), Faq.objects.count(), Office.objects.count(), Topic.objects.count())


def test_demo_content_meets_the_brief(demo):
    assert ServicePage.objects.live().count() >= 12
    assert NewsPage.objects.live().count() >= 6
    assert Faq.objects.count() >= 15
    assert Office.objects.filter(kind="municipio").count() >= 2


def test_demo_content_command_is_idempotent(demo):
    before = _counts()
    call_command("load_demo_content", stdout=io.StringIO())
    assert _counts() == before


def test_editorial_groups_and_moderation_workflow(demo):
    assert Group.objects.filter(name__in=["Editors", "Moderators"]).count() == 2
    workflow = Workflow.objects.get(workflow_pages__page__depth=1)
    assert workflow.active and workflow.tasks.exists()
    assert workflow.name == "Approvazione della redazione" and [t.name for t in workflow.tasks.all()] == ["Approvazione della redazione"]


def test_dashboard_lists_services_whose_window_changes_soon(client, superuser, demo):
    service = ServicePage.objects.get(slug="diete-speciali")
    service.access_type, service.online_module = "online", "meals-account"
    service.online_opens_at = timezone.now() + datetime.timedelta(days=5)
    service.save_revision().publish()
    far = ServicePage.objects.get(slug="rilevazione-servizi-0-3")
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Finestre online dei servizi nei prossimi 30 giorni" in html
    assert service.title in html and far.title not in html


def test_scheduled_publishing_task_publishes_due_pages(demo):
    from home.tasks import publish_scheduled_pages

    news = NewsPage.objects.get(slug="sciopero-mensa")
    news.title = "Sciopero: aggiornamento"
    revision = news.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    publish_scheduled_pages.delay()
    assert NewsPage.objects.get(id=news.id).title == "Sciopero: aggiornamento"


def test_demo_users_are_refused_outside_the_demo(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="solo nella demo"):
        call_command("load_demo_content", "--with-users", stdout=io.StringIO())


def test_demo_staff_can_sign_in_with_email_and_password(client, settings, db):
    settings.DEMO = True
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())
    response = client.post("/account/login/", {"login": "redattore@example.it", "password": "sportello-demo"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_demo_site_has_the_real_address_for_links_in_e_mails(demo, settings):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL and "localhost" not in site.root_url
    assert ServicePage.objects.live().first().full_url.startswith(settings.WAGTAILADMIN_BASE_URL + "/")


def test_the_dashboard_search_lands_on_what_the_user_may_see(client, demo, editor):
    import re

    from tests.istanze.helpers import make_operator

    operator = make_operator("sara", "ufficio-scuola")
    client.force_login(operator)
    dashboard = client.get("/admin/").content.decode()
    action = re.search(r'<form class="w-mb-12" action="([^"]+)"', dashboard).group(1)
    assert "Cerca in tutte le pagine" not in dashboard and "Cerca in pratiche…" in dashboard
    assert client.get(action, {"q": "RSSMRA85C52H501N"}).status_code == 200  # the applications, not "no permission"
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    action = re.search(r'<form class="w-mb-12" action="([^"]+)"', dashboard).group(1)
    assert "Cerca in pagine…" in dashboard and client.get(action, {"q": "mensa"}).status_code == 200


def test_the_demo_identities_promise_what_the_demo_holds(demo, settings):
    from services.accounts.spid.demo_identities import DEMO_IDENTITIES
    from services.meals.models import Child
    from services.notifications.io_sandbox import BLOCKED, NOT_ON_IO
    from services.payments.models import PaymentPosition

    settings.DEMO = True
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())
    labels = {key: person["label"] for key, person in DEMO_IDENTITIES.items()}
    assert "una figlia alla primaria" in labels["maria.rossi"]
    children = Child.objects.filter(wallet__holder__fiscal_code="RSSMRA85C52H501N")
    assert [c.school.order for c in children] == ["primaria"]
    assert PaymentPosition.objects.filter(owner__fiscal_code="RSSMRA85C52H501N", purpose="demo").count() == 2
    assert "RSSSRA90P70F205P" in NOT_ON_IO and not DEMO_IDENTITIES["sara.russo"]["email"]
    assert "FRRPLA68A14L219Z" in BLOCKED and "App IO" in labels["paolo.ferrari"]
    from services.schools.models import SchoolRole

    assert "Utente Master della Primaria Dante Alighieri" in labels["giulia.esposito"]
    assert SchoolRole.objects.get(fiscal_code="SPSGLI75L65F839U", state="active").school.name == "Primaria Dante Alighieri"
    # one identity for each role (issue 25/21): Sara Russo is only the parent without e-mail; the teacher and the
    # head whose request waits are demo identities of their own
    assert not SchoolRole.objects.filter(fiscal_code="RSSSRA90P70F205P").exists()
    assert "insegnante" in labels["anna.ricci"]
    teacher = SchoolRole.objects.get(fiscal_code=DEMO_IDENTITIES["anna.ricci"]["fiscalNumber"][6:], state="active")
    assert teacher.school.name == "Primaria Dante Alighieri" and teacher.functions == ["meals"]
    from services.istanze.models import Istanza

    waiting = Istanza.objects.get(procedure_code="SCUOLA_ATTIVAZIONE")
    assert waiting.owner.fiscal_code == DEMO_IDENTITIES["elena.conti"]["fiscalNumber"][6:] and "attivazione" in labels["elena.conti"]


def test_the_demo_tells_the_switch_over_as_an_admin_set_suspension(demo, settings):
    """Seed 004: payments suspended 22 December – 9 January, as the demo's notice says; before and after, they run."""
    import datetime
    from zoneinfo import ZoneInfo

    from services.payments.suspension import suspension_message

    settings.DEMO = True
    call_command("load_demo_content", "--with-users", stdout=io.StringIO())
    rome = ZoneInfo("Europe/Rome")
    assert "riprendono il 10 gennaio" in suspension_message(now=datetime.datetime(2026, 12, 23, 10, tzinfo=rome))
    assert suspension_message(now=datetime.datetime(2027, 1, 10, 0, 1, tzinfo=rome)) == ""
    assert suspension_message(now=datetime.datetime(2026, 12, 21, 23, 59, tzinfo=rome)) == ""
    assert "Pagamenti sospesi dal 22 dicembre al 9 gennaio" in NewsPage.objects.get(slug="pagamenti-sospesi-passaggio").title
