from services.accounts.models import Office

from .faq import Faq, FaqPage, FaqProposal
from .feedback import InefficiencyReport, PageFeedback
from .news import NewsAttachment, NewsIndexPage, NewsPage
from .pages import GenericPage, HomePage, LegalNotesPage, ReportProblemPage, SectionPage
from .services import ServiceCategoryPage, ServiceDeadline, ServiceIndexPage, ServicePage
from .site_settings import EnteSettings
from .snippets import Topic
from .topics import TopicIndexPage

__all__ = [
    "EnteSettings",
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
    "PageFeedback",
    "ReportProblemPage",
    "SectionPage",
    "ServiceCategoryPage",
    "ServiceDeadline",
    "ServiceIndexPage",
    "ServicePage",
    "Topic",
    "TopicIndexPage",
]
