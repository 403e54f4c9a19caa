"""The demo Comune's site, the CMS app's demo loader (services/core/demo.py): pages, topics, documents, news, FAQ,
places and events.

Idempotent: everything is looked up by slug and created only when missing, so a second run changes nothing and
editors' changes are kept.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File

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


def load(context) -> int:
    """The site's pages, topics, documents, news, FAQ, places and events."""
    return _Site().build(context.today)


class _Site:
    def build(self, today) -> int:
        created = 0
        home = self._home()
        self._settings()
        topics = {}
        for slug, name, description in data.TOPICS:
            topics[slug] = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
            if not topics[slug].description:  # topics of an earlier demo had none
                Topic.objects.filter(id=topics[slug].id).update(description=description)
        offices = {office.slug: office for office in Office.objects.all()}  # the accounts app's demo made them
        conditions = self._document()

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

        return created

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

