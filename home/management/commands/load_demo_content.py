"""Load the demo Comune: pages, offices, topics, FAQ, settings and demo staff users.

Idempotent: everything is looked up by slug and created only when missing, so a
second run changes nothing and editors' changes are kept.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wagtail.documents.models import Document
from wagtail.models import Collection, Page, Site

from home.demo import data
from home.models import (
    DocumentIndexPage,
    EnteSettings,
    EventIndexPage,
    EventPage,
    Faq,
    FaqPage,
    GenericPage,
    HomePage,
    LegalNotesPage,
    NewsAttachment,
    NewsIndexPage,
    NewsPage,
    Office,
    OfficeIndexPage,
    PlaceIndexPage,
    PlacePage,
    ReportProblemPage,
    SectionPage,
    ServiceCategoryPage,
    ServiceDeadline,
    ServiceIndexPage,
    ServicePage,
    Topic,
    TopicIndexPage,
)
from services.core.clock import SchoolYear

ROME = ZoneInfo("Europe/Rome")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "sportello-demo"  # noqa: S105 - demo users exist only in the demo (--with-users)
DEMO_USERS = [
    ("admin", "Amministratore", "Demo", None, True, []),
    ("redattore", "Roberta", "Redattrice", "Editors", False, []),
    ("moderatore", "Mario", "Moderatore", "Moderators", False, []),
    ("operatore.municipio1", "Olga", "Operatrice", "Office operators", False, ["municipio-1"]),
    ("operatore.municipio2", "Oreste", "Operatore", "Office operators", False, ["municipio-2"]),
    ("operatore.zerosei", "Zelda", "Zerosei", "Office operators", False, ["servizi-educativi-0-6"]),
    ("operatore.scuola", "Sara", "Scolastici", "Office operators", False, ["ufficio-scuola"]),
    ("mensa", "Carla", "Cucina", "Canteen staff", False, []),
    ("urp", "Ulisse", "Relazioni", "URP", False, ["urp"]),
]


def _when(text):
    if not text:
        return None
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ROME)


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


class Command(BaseCommand):
    help = "Carica i contenuti dimostrativi del Comune di Valfiorita (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument("--with-users", action="store_true", help="Crea anche gli utenti dimostrativi (solo nella demo).")

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        home = self._home()
        self._settings()
        topics = {}
        for slug, name, description in data.TOPICS:
            topics[slug] = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
            if not topics[slug].description:  # topics of an earlier demo had none
                Topic.objects.filter(id=topics[slug].id).update(description=description)
        offices = {}
        for row in data.OFFICES:
            fields = {k: v for k, v in row.items() if k != "slug"}
            offices[row["slug"]] = Office.objects.get_or_create(slug=row["slug"], defaults=fields)[0]
        conditions = self._document()
        from services.oepac import demo as oepac_demo

        created += oepac_demo.load()
        from services.meals import demo as meals_demo
        from services.transport import demo as transport_demo

        today = datetime.datetime.now(ZoneInfo("Europe/Rome")).date()
        created += meals_demo.load(today) + transport_demo.load(today)
        from services.procedures import demo as survey_demo

        created += survey_demo.load()

        management, new = _child(home, SectionPage, "amministrazione", title="Amministrazione", menu_element="management",
                                 intro="Organi di governo, uffici e documenti del Comune.", show_in_menus=True)
        created += new
        news_index, new = _child(home, NewsIndexPage, "novita", title="Novità",
                                 intro="Notizie, comunicati e avvisi del Comune.", show_in_menus=True)
        created += new
        services_index, new = _child(home, ServiceIndexPage, "servizi", title="Servizi",
                                     intro="Tutti i servizi del Comune, anche online.", show_in_menus=True)
        created += new
        living, new = _child(home, SectionPage, "vivere-il-comune", title="Vivere il Comune", menu_element="live",
                             intro="Luoghi, eventi e scuole del territorio.", show_in_menus=True)
        created += new

        categories = {}
        for slug, title, intro in data.CATEGORIES:
            categories[slug], new = _child(services_index, ServiceCategoryPage, slug, title=title, intro=intro)
            created += new

        services = {}
        for row in data.SERVICES:
            services[row["slug"]], new = self._service(categories[row["category"]], row, offices, topics, conditions)
            created += new

        documents = self._documents(conditions)
        created += self._administration(management)
        created += self._living(living, offices, topics, services, today)

        for slug, kind, date, title, summary, body, topic_slugs, service_slugs in data.NEWS:
            existing = NewsPage.objects.child_of(news_index).filter(slug=slug).first()
            if existing:
                continue
            page = NewsPage(slug=slug, title=title, news_type=kind, summary=summary, body=body,
                            date=datetime.date.fromisoformat(date))
            page.topics.set([topics[t] for t in topic_slugs])
            page.related_services.set([services[s] for s in service_slugs])
            page.attachments = [NewsAttachment(document=documents[f]) for n, f in data.NEWS_ATTACHMENTS if n == slug]
            news_index.add_child(instance=page)
            page.save_revision().publish()
            created += 1

        _, new = _child(home, FaqPage, "domande-frequenti", title="Domande frequenti",
                        intro="Le risposte alle domande più comuni sui servizi scolastici.")
        created += new
        for order, (topic_slug, service_slug, question, answer) in enumerate(data.FAQS):
            _, new = Faq.objects.get_or_create(
                question=question,
                defaults={"answer": answer, "topic": topics[topic_slug], "service": services[service_slug], "sort_order": order},
            )
            created += new

        created += self._more_info(services, topics, documents)

        for slug, title, intro, blocks in data.GENERIC_PAGES:
            _, new = _child(home, GenericPage, slug, title=title, intro=intro, body=[(k, v) for k, v in blocks])
            created += new
        _, new = _child(home, LegalNotesPage, "note-legali", title="Note legali",
                        intro="Condizioni di uso del sito e dei suoi contenuti.",
                        body=[("paragraph", "<p>I contenuti del sito sono pubblicati dal Comune di Valfiorita.</p>")])
        created += new
        _, new = _child(home, TopicIndexPage, "argomenti", title="Argomenti",
                        intro="I servizi, le notizie e le domande frequenti del Comune, raccolti per argomento.")
        created += new
        _, new = _child(home, ReportProblemPage, "segnala-disservizio", title="Segnala disservizio",
                        intro="<p>Hai trovato un'informazione sbagliata, un servizio online che non funziona o un problema di accessibilità? Raccontacelo.</p>")
        created += new

        if not HomePage.objects.filter(id=home.id, featured_services__isnull=False).exists():
            home.featured_services.set([services[s] for s in ("iscrizione-oepac", "iscrizione-refezione-scolastica",
                                                               "ricarica-conto-mensa", "iscrizione-trasporto-scolastico")])
            home.save_revision().publish()

        created += self._canned_replies()
        created += self._calendars()
        if options["with_users"]:
            self._users()
        self.stdout.write(self.style.SUCCESS(f"Contenuti dimostrativi pronti ({created} elementi nuovi)."))

    def _home(self):
        home = HomePage.objects.first()
        if home:
            return home
        root = Page.get_first_root_node() or self._root()
        # Wagtail's initial "Welcome" page is replaced by the Comune's home page.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = HomePage(title="Home", slug="home", intro="Il portale dei servizi scolastici del Comune di Valfiorita: informazioni, domande online e pagamenti.")
        root.add_child(instance=home)
        home.save_revision().publish()
        # The site's real address, so that links in e-mails and the sitemap lead back to it.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page, site.site_name = address.hostname, port, home, data.ENTE["name"]
        site.save()
        return home

    def _root(self):
        """Recreate the tree root and default locale of an emptied database (as after a flush)."""
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import Collection, Locale

        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.objects.exists():
            Collection.add_root(name="Root")
        return Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))

    def _settings(self):
        ente = EnteSettings.load()
        if ente.street_address:
            return
        for key, value in data.ENTE.items():
            setattr(ente, key, value)
        ente.save()

    def _document(self):
        doc = Document.objects.filter(title="Condizioni dei servizi scolastici").first()
        if doc:
            return doc
        with open(FIXTURES / "condizioni-servizi-scolastici.pdf", "rb") as fh:
            doc = Document(title="Condizioni dei servizi scolastici")
            doc.file.save("condizioni-servizi-scolastici.pdf", File(fh), save=True)
        return doc

    def _documents(self, conditions):
        """The documents of *Documenti e dati*, each in its collection; {file name: document}."""
        root = Collection.get_first_root_node()
        collections = {}
        for name in data.DOCUMENT_COLLECTIONS:
            collections[name] = root.get_children().filter(name=name).first() or root.add_child(name=name)
        if conditions.collection_id == root.id:
            Document.objects.filter(id=conditions.id).update(collection=collections["Condizioni e regolamenti"])
        documents = {}
        for collection, filename, title in data.DOCUMENTS:
            doc = Document.objects.filter(title=title).first()
            if doc is None:
                with open(FIXTURES / filename, "rb") as fh:
                    doc = Document(title=title, collection=collections[collection])
                    doc.file.save(filename, File(fh), save=True)
            documents[filename] = doc
        return documents

    def _more_info(self, services, topics, documents):
        """Ulteriori informazioni of the demo's service pages, composed of the editors' blocks; a page that has some
        already keeps them."""
        created = 0
        for slug, blocks in data.MORE_INFO.items():
            page = services[slug]
            if page.more_info:
                continue
            stream = []
            for kind, value in blocks:
                if kind == "document":
                    value = documents[value].pk
                elif kind == "faq":
                    value = {"title": value["title"], "topic": topics[value["topic"]].pk if value["topic"] else None,
                             "entries": [Faq.objects.get(question=q).pk for q in value["entries"]]}
                stream.append({"type": kind, "value": value})
            page.more_info = json.dumps(stream)
            page.save_revision().publish()
            created += 1
        return created

    def _administration(self, management):
        _, new_offices = _child(management, OfficeIndexPage, "uffici", title="Uffici",
                                intro="Gli uffici del Comune che seguono i servizi scolastici: sedi, orari, contatti e servizi.")
        _, new_documents = _child(management, DocumentIndexPage, "documenti-e-dati", title="Documenti e dati",
                                  intro="Condizioni dei servizi, moduli e tariffe da consultare e scaricare.")
        return new_offices + new_documents

    def _living(self, living, offices, topics, services, today):
        created = 0
        places_index, new = _child(living, PlaceIndexPage, "luoghi", title="Luoghi",
                                   intro="Scuole, mense e sportelli del Comune: dove sono e quando sono aperti.")
        created += new
        places = {}
        for slug, kind, title, summary, address, cap, hours, phone, office, topic_slugs, description in data.PLACES:
            existing = PlacePage.objects.child_of(places_index).filter(slug=slug).first()
            if existing:
                places[slug] = existing
                continue
            page = PlacePage(slug=slug, title=title, place_type=kind, summary=summary, street_address=address,
                             postal_code=cap, city="Valfiorita", opening_hours=hours, phone=phone,
                             office=offices.get(office), description=description)
            page.topics.set([topics[t] for t in topic_slugs])
            places_index.add_child(instance=page)
            page.save_revision().publish()
            places[slug] = page
            created += 1
        events_index, new = _child(living, EventIndexPage, "eventi", title="Eventi",
                                   intro="Gli appuntamenti dell'anno scolastico per famiglie e alunni.")
        created += new
        # The events fall in the school year the demo is loaded in, so the listing tells the same story any day.
        first_year = SchoolYear.of(today).first_year
        for slug, title, summary, body, (month, day, start, end), place, audience, topic_slugs, service_slugs in data.EVENTS:
            if EventPage.objects.child_of(events_index).filter(slug=slug).exists():
                continue
            date = datetime.date(first_year if month >= 9 else first_year + 1, month, day)
            page = EventPage(
                slug=slug, title=title, summary=summary, body=body, audience=audience, place=places.get(place),
                start_at=datetime.datetime.combine(date, datetime.time(start), tzinfo=ROME),
                end_at=datetime.datetime.combine(date, datetime.time(end), tzinfo=ROME),
            )
            page.topics.set([topics[t] for t in topic_slugs])
            page.related_services.set([services[s] for s in service_slugs])
            events_index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        return created

    def _service(self, category, row, offices, topics, conditions):
        existing = ServicePage.objects.child_of(category).filter(slug=row["slug"]).first()
        if existing:
            return existing, False
        opens, closes = row["window"] or (None, None)
        page = ServicePage(
            slug=row["slug"], title=row["title"], summary=row["summary"], audience=row["audience"], how_to=row["how_to"],
            needed=row["needed"], achieved=row["achieved"], calendar_text=row["calendar_text"], cost=row["cost"],
            access_type=row["access_type"], online_module=row.get("module", ""), office=offices[row["office"]],
            online_opens_at=_when(opens), online_closes_at=_when(closes),
            outside_window_text=row.get("outside_window_text", ServicePage._meta.get_field("outside_window_text").default),
            conditions_document=conditions,
            search_description=row["summary"],
        )
        page.topics.set([topics[t] for t in row["topics"]])
        page.deadlines = [ServiceDeadline(date=datetime.date.fromisoformat(d), title=t) for d, t in row["deadlines"]]
        category.add_child(instance=page)
        page.save_revision().publish()
        return page, True

    def _users(self):
        if not settings.DEMO:
            raise CommandError("Gli utenti dimostrativi si creano solo nella demo (make run, make dev).")
        from django.contrib.auth import get_user_model

        User = get_user_model()
        for username, first, last, group, is_superuser, office_slugs in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.it",
                                             "is_staff": True, "is_superuser": is_superuser})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            if office_slugs:
                user.offices.add(*Office.objects.filter(slug__in=office_slugs))
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        self._demo_payments()
        self._demo_assistance()
        self._demo_bookings()

    def _calendars(self):
        """The counters' hours for appointments and what each service books there; the slots follow."""
        from services.appointments import actions as booking
        from services.appointments.models import AppointmentType, OpeningBlock
        from services.catalogue.models import Service

        made = 0
        for office, weekday, starts, ends in data.APPOINTMENT_HOURS:
            made += OpeningBlock.objects.get_or_create(office=Office.objects.get(slug=office), weekday=weekday, starts=starts, ends=ends)[1]
        for slug, title, offices, minutes, places, bring in data.APPOINTMENT_TYPES:
            kind, new = AppointmentType.objects.get_or_create(
                service=Service.objects.get(slug=slug), title=title,
                defaults={"duration": minutes, "places": places, "what_to_bring": bring})
            if new:
                kind.offices.set(Office.objects.filter(slug__in=offices))
                made += 1
        booking.slots_refresh()
        return made

    def _demo_bookings(self):
        """Full days in the coming weeks: the first bookable day of the refund topic at the Ufficio Scuola is taken."""
        from services.appointments import actions as booking
        from services.appointments.models import Appointment, AppointmentType

        if Appointment.objects.exists():
            return
        kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
        office = kind.offices.get()
        first = booking.next_free(kind, office, limit=1)
        if not first:
            return
        from django.utils import timezone

        day = timezone.localdate(first[0].starts_at)
        people = [("Bianca", "Serra"), ("Carlo", "Testa"), ("Dora", "Valli"), ("Ettore", "Zanon"), ("Fabio", "Landi"),
                  ("Gaia", "Monti"), ("Ivo", "Orsi"), ("Lea", "Pace"), ("Nino", "Rota")]
        for n, (slot, free) in enumerate(booking.free_slots(kind, office, day)):
            first_name, last_name = people[n % len(people)]
            if free:
                booking.book(slot_id=slot.pk, session_key=f"demo-{slot.pk}", reason="Rimborso del credito residuo", address_proven=True,
                             applicant={"first_name": first_name, "last_name": last_name,
                                        "email": f"{first_name.lower()}.{last_name.lower()}@example.it"})

    def _canned_replies(self):
        from services.assistance.models import CannedReply

        made = 0
        for title, body in data.ASSISTANCE_CANNED:
            made += CannedReply.objects.get_or_create(title=title, defaults={"body": body})[1]
        return made

    def _demo_assistance(self):
        """A dozen requests to the URP in every state, some from Maria Rossi (in her personal area), over the last weeks."""
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from services.assistance import actions
        from services.assistance.models import AssistanceRequest, ThreadEntry
        from services.catalogue.models import Service

        if AssistanceRequest.objects.exists():
            return
        User = get_user_model()
        maria, urp = User.objects.get(username="RSSMRA85C52H501N"), User.objects.get(username="urp")
        labels = dict(Service.objects.values_list("category_slug", "category")) | {"urp": "Relazioni con il pubblico"}
        now = timezone.now()
        for days, who, person, category, service, message, state, reply, office in data.ASSISTANCE_REQUESTS:
            sent = now - datetime.timedelta(days=days, hours=2)
            first, last, email = (maria.first_name, maria.last_name, maria.email) if who == "maria" else person
            draft = actions.request_draft(data={
                "first_name": first, "last_name": last, "email": email, "category_slug": category,
                "category_label": labels.get(category, category), "service": Service.objects.filter(slug=service).first(),
                "istanza": None, "message": message}, requester=maria if who == "maria" else None)
            AssistanceRequest.objects.filter(pk=draft.pk).update(created_at=sent)
            actions.request_submit(request=draft, now=sent)
            if office != "urp":
                actions.request_forward(request=draft, office=Office.objects.get(slug=office), by=urp,
                                        note="Riguarda la mensa: la segue l'Ufficio Scuola.")
                actions.request_take(request=draft, by=User.objects.get(username="operatore.scuola"))
            elif state != "nuova":
                actions.request_take(request=draft, by=urp)
            # the desk's events happened the morning after the request arrived
            ThreadEntry.objects.filter(request=draft, created_at__gt=sent).update(created_at=sent + datetime.timedelta(hours=18))
            if reply:
                actions.reply_send(request=draft, body=reply, by=urp, resolve=state in ("risolta", "chiusa"),
                                   now=sent + datetime.timedelta(days=1))
            if state == "chiusa":
                actions.rating_set(request=draft, rating=5 if days % 2 else 4)
        actions.requests_close(now=now)

    def _demo_meals(self, maria):
        """Maria's meal account: her daughter at the Primaria Dante Alighieri since the start of the school year,
        the balance carried over from the old system, every school day so far charged by the daily batch."""
        from decimal import Decimal

        from services.core.clock import SchoolYear
        from services.meals.actions import ledger_post, wallet_get_or_create
        from services.meals.charges import charge_day
        from services.meals.models import Child, FeeBand
        from services.schools.models import School

        wallet = wallet_get_or_create(holder=maria)
        if wallet.children.exists():
            return
        today = datetime.datetime.now(ZoneInfo("Europe/Rome")).date()
        year = SchoolYear.current(today)
        start = year.start + datetime.timedelta(days=13)
        Child.objects.create(wallet=wallet, first_name="Giulia", last_name="Rossi", fiscal_code="RSSGLI18C52A271N",
                             school=School.objects.get(code="ANEE81001D"), school_class="3ª A", school_year=year.label,
                             fee_band=FeeBand.objects.filter(code="C").order_by("-valid_from").first(),
                             service_from=start, service_to=year.end, diet="no_pork")
        ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("250.00"), reference="import:demo",
                    description="Saldo trasferito dal vecchio sistema", business_date=start - datetime.timedelta(days=1))
        day = start
        while day < today:
            charge_day(day)
            day += datetime.timedelta(days=1)

    def _demo_schools(self):
        """Two schools enabled with their Master and a generic user, and an activation request waiting for approval."""
        from django.contrib.auth import get_user_model

        from services.istanze.actions import istanza_compile, istanza_draft_get_or_create, istanza_transition
        from services.istanze.models import Istanza
        from services.istanze.states import Actor, Status
        from services.schools import actions as schools
        from services.schools.models import School, SchoolRole

        users = {u.fiscal_code: u for u in get_user_model().objects.filter(fiscal_code__in=[r[1] for r in data.SCHOOL_ROLES])}
        for code, fiscal_code, kind, functions in data.SCHOOL_ROLES:
            school = School.objects.get(code=code)
            if SchoolRole.objects.filter(school=school, fiscal_code=fiscal_code).exists():
                continue
            if kind == "master":
                schools.master_activate(school=school, fiscal_code=fiscal_code, user=users.get(fiscal_code))
            else:
                master = SchoolRole.objects.get(school=school, kind="master", state="active")
                schools.role_add(master=master, fiscal_code=fiscal_code, functions=functions, by=None)
        request = data.SCHOOL_ACTIVATION_REQUEST
        if Istanza.objects.filter(procedure_code="SCUOLA_ATTIVAZIONE").exists():
            return
        head, _ = get_user_model().objects.get_or_create(
            username=request["fiscal_code"], defaults={k: request[k] for k in ("fiscal_code", "first_name", "last_name", "email")})
        istanza, _ = istanza_draft_get_or_create(owner=head, procedure_code="SCUOLA_ATTIVAZIONE")
        answers = {"scuola": {"scuola": request["school"], "pec": request["pec"], "ruolo": "dirigente"},
                   "dichiarazioni": {"privacy": True, "veridicita": True}}
        istanza = istanza_compile(istanza=istanza, by=head, data=answers, files=[], wizard={}, summary=[
            {"title": "Scuola e richiedente", "rows": [["Scuola", School.objects.get(code=request["school"]).name],
                                                      ["PEC istituzionale della scuola", request["pec"]],
                                                      ["Il tuo ruolo", "Dirigente scolastico"]]}])
        istanza_transition(istanza=istanza, to=Status.INVIATA, by=head, actor_kind=Actor.CITIZEN)

    def _demo_switch_over(self):
        """Seed 004's switch-over as the administrator sets it: payments suspended on the dates the demo's notice
        gives (22 December to 9 January). Inside them the top-up's service page and the personal area both say so;
        after them it is past and payments run. Only with the demo users: the tests' demo never suspends payments."""
        from services.payments.suspension import PaymentSettings

        conf = PaymentSettings.load()
        if conf.suspended_from:
            return
        conf.suspended_from = datetime.datetime(2026, 12, 22, tzinfo=ROME)
        conf.suspended_until = datetime.datetime(2027, 1, 10, tzinfo=ROME)
        conf.message = ("I pagamenti sono sospesi fino al 9 gennaio per il passaggio al nuovo sistema: il saldo del vecchio "
                        "conto viene trasferito automaticamente e le ricariche riprendono il 10 gennaio.")
        conf.save()

    def _demo_payments(self):
        """Two notices to pay for Maria Rossi (the SPID demo identity), paid through the pagoPA sandbox."""
        from django.conf import settings
        from django.contrib.auth import get_user_model

        from services.payments.actions import position_create
        from services.payments.models import PaymentPosition

        if not settings.PAGOPA_SANDBOX_ENABLED:
            return
        maria, _ = get_user_model().objects.get_or_create(
            username="RSSMRA85C52H501N",
            defaults={"fiscal_code": "RSSMRA85C52H501N", "first_name": "Maria", "last_name": "Rossi",
                      "email": "maria.rossi@example.it", "date_of_birth": datetime.date(1985, 3, 12)})
        self._demo_meals(maria)
        self._demo_switch_over()
        self._demo_schools()
        if PaymentPosition.objects.filter(owner=maria, purpose="demo").exists():
            return
        for amount, text in (("45.00", "Trasporto scolastico: quota del primo trimestre"), ("12.50", "Uscita didattica al museo")):
            position_create(owner=maria, purpose="demo", amount=amount, description=text,
                            due_date=datetime.date.today() + datetime.timedelta(days=30))
