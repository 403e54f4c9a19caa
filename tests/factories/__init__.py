"""Factories for the main models (factory_boy) and every page type (wagtail-factories): tests build what they
need from here instead of importing fixtures from other test modules. tests/test_factories.py checks that every
page type and main model has one."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home import models as home
from services.accounts.models import Office
from services.catalogue.models import Service
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.meals.models import Child, FeeBand, Wallet
from services.notifications.models import Broadcast, Message
from services.oepac.models import Organisation
from services.payments.models import PaymentPosition
from services.schools.models import Ambito, School
from services.transport.models import Route, Stop


def _fiscal_code(n: int) -> str:
    """A codice fiscale of the right shape for tests (16 characters, unique per n)."""
    return f"TSTFCT{n:08d}A{n % 10}"[:16].ljust(16, "X")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"cittadino{n}")
    fiscal_code = factory.Sequence(_fiscal_code)
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Prova{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.it")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ufficio di prova {n}")
    slug = factory.Sequence(lambda n: f"ufficio-prova-{n}")
    kind = Office.Kind.UFFICIO


class AmbitoFactory(DjangoModelFactory):
    class Meta:
        model = Ambito

    name = factory.Sequence(lambda n: f"Ambito di prova {n}")
    office = factory.SubFactory(OfficeFactory, kind=Office.Kind.MUNICIPIO)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    code = factory.Sequence(lambda n: f"TSEE{n:05d}Z"[:10])
    name = factory.Sequence(lambda n: f"Primaria di prova {n}")
    order = "primaria"
    ambito = factory.SubFactory(AmbitoFactory)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cooperativa di prova {n}")

    @factory.post_generation
    def ambiti(self, create, extracted, **kwargs):
        if create:
            self.ambiti.set(extracted or [AmbitoFactory()])


class IstanzaFactory(DjangoModelFactory):
    class Meta:
        model = Istanza

    procedure_code = "SERV06_UTENTI"
    owner = factory.SubFactory(UserFactory)
    status = Status.BOZZA


class FeeBandFactory(DjangoModelFactory):
    class Meta:
        model = FeeBand

    code = factory.Sequence(lambda n: f"T{n}")
    label = "Fascia di prova"
    price = Decimal("4.00")
    valid_from = date(2020, 9, 1)


class WalletFactory(DjangoModelFactory):
    class Meta:
        model = Wallet
        django_get_or_create = ("holder",)

    holder = factory.SubFactory(UserFactory)
    payment_code = factory.Sequence(lambda n: f"T{n:09d}")


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    wallet = factory.SubFactory(WalletFactory)
    first_name = "Pia"
    last_name = factory.Sequence(lambda n: f"Prova{n}")
    fiscal_code = factory.Sequence(lambda n: _fiscal_code(n + 500000))
    school = factory.SubFactory(SchoolFactory)
    fee_band = factory.SubFactory(FeeBandFactory)
    service_from = date(2020, 9, 1)


class RouteFactory(DjangoModelFactory):
    class Meta:
        model = Route

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Linea di prova {n}")


class StopFactory(DjangoModelFactory):
    class Meta:
        model = Stop

    route = factory.SubFactory(RouteFactory)
    name = factory.Sequence(lambda n: f"Fermata {n}")


class PaymentPositionFactory(DjangoModelFactory):
    """Through payments.actions.position_create, so that IUV, NAV and the history are right."""

    class Meta:
        model = PaymentPosition

    owner = factory.SubFactory(UserFactory)
    purpose = "demo"
    amount = Decimal("25.00")
    description = "Pagamento di prova"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from services.payments.actions import position_create

        return position_create(**kwargs)


class BroadcastFactory(DjangoModelFactory):
    class Meta:
        model = Broadcast

    token = factory.Faker("uuid4", cast_to=None)
    subject = "Comunicazione di prova"
    body = "Testo della comunicazione di prova alle famiglie."
    audience = "meals"


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    kind = "notifications.broadcast"
    event = factory.Sequence(lambda n: f"test-event:{n}")
    user = factory.SubFactory(UserFactory)
    subject = "Messaggio di prova"
    body = "Testo del messaggio di prova."


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"servizio-di-prova-{n}")
    title = factory.Sequence(lambda n: f"Servizio di prova {n}")


# Page types ----------------------------------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.HomePage

    title = "Home di prova"


class SectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.SectionPage

    title = factory.Sequence(lambda n: f"Sezione {n}")


class GenericPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.GenericPage

    title = factory.Sequence(lambda n: f"Pagina {n}")


class LegalNotesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.LegalNotesPage

    title = "Note legali"


class ReportProblemPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.ReportProblemPage

    title = "Segnala disservizio"


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.TopicIndexPage

    title = "Argomenti"


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.ServiceIndexPage

    title = "Servizi"


class ServiceCategoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.ServiceCategoryPage

    title = factory.Sequence(lambda n: f"Categoria {n}")


class ServicePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.ServicePage

    title = factory.Sequence(lambda n: f"Servizio {n}")
    summary = "Un servizio di prova per le famiglie."
    audience = "<p>Alle famiglie.</p>"
    how_to = "<p>Si presenta la domanda online.</p>"
    needed = "<p>SPID o CIE.</p>"
    achieved = "<p>Il servizio.</p>"
    calendar_text = "<p>Tutto l'anno.</p>"
    office = factory.SubFactory(OfficeFactory)


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.NewsIndexPage

    title = "Novità"


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.NewsPage

    title = factory.Sequence(lambda n: f"Notizia {n}")
    summary = "Una notizia di prova."
    body = "<p>Il testo della notizia.</p>"


class FaqPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.FaqPage

    title = "Domande frequenti"


class OfficeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.OfficeIndexPage

    title = "Uffici"


class DocumentIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.DocumentIndexPage

    title = "Documenti e dati"


class PlaceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.PlaceIndexPage

    title = "Luoghi"


class PlacePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.PlacePage

    title = factory.Sequence(lambda n: f"Luogo {n}")
    summary = "Un luogo di prova."
    street_address = "Via di Prova 1"
    place_type = home.PlacePage.Type.SCHOOL


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.EventIndexPage

    title = "Eventi"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = home.EventPage

    title = factory.Sequence(lambda n: f"Evento {n}")
    summary = "Un evento di prova."
    body = "<p>Il programma dell'evento.</p>"
    start_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(hours=2))
