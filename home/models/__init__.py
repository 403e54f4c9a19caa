from services.accounts.models import Office

from .administration import DocumentIndexPage, OfficeIndexPage
from .faq import Faq, FaqPage, FaqProposal
from .feedback import InefficiencyReport, PageFeedback
from .living import EventIndexPage, EventPage, PlaceIndexPage, PlacePage
from .news import NewsAttachment, NewsIndexPage, NewsPage
from .pages import GenericPage, HomePage, LegalNotesPage, ReportProblemPage, SectionPage
from .services import ServiceCategoryPage, ServiceDeadline, ServiceIndexPage, ServicePage
from .site_settings import EnteSettings
from .snippets import Topic
from .topics import TopicIndexPage

__all__ = [
    "DocumentIndexPage",
    "EnteSettings",
    "EventIndexPage",
    "EventPage",
    "Faq",
    "FaqPage",
    "FaqProposal",
    "GenericPage",
    "HomePage",
    "InefficiencyReport",
    "LegalNotesPage",
    "NewsAttachment",
    "NewsIndexPage",
    "NewsPage",
    "Office",
    "OfficeIndexPage",
    "PageFeedback",
    "PlaceIndexPage",
    "PlacePage",
    "ReportProblemPage",
    "SectionPage",
    "ServiceCategoryPage",
    "ServiceDeadline",
    "ServiceIndexPage",
    "ServicePage",
    "Topic",
    "TopicIndexPage",
]
