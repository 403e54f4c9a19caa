"""What the CMS feeds to the services below it: the catalogue row of every published service page, and the
FAQ provider. `home` may import services; nothing in services imports `home`."""

from django.db.models.signals import post_delete
from django.utils.html import strip_tags

from wagtail.search.backends import get_search_backend
from wagtail.signals import page_published, page_unpublished

from services.catalogue import actions as catalogue
from services.catalogue import faq

from .models import Faq, FaqProposal, ServicePage


def service_page_publish(page: ServicePage) -> None:
    category = page.get_parent()
    catalogue.service_publish(
        source_id=page.pk, slug=page.slug, title=page.title, url=page.url or "",
        category=category.title if category else "", category_slug=category.slug if category else "",
        office_id=page.office_id, module=page.online_module if page.access_type == page.Access.ONLINE else "",
        opens_at=page.online_opens_at, closes_at=page.online_closes_at,
    )


def _published(sender, instance, **kwargs):
    if isinstance(instance.specific, ServicePage):
        service_page_publish(instance.specific)


def _withdrawn(sender, instance, **kwargs):
    if isinstance(instance, ServicePage) or getattr(instance, "specific_class", None) is ServicePage:
        catalogue.service_withdraw(source_id=instance.pk)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="catalogue-publish")
    page_unpublished.connect(_withdrawn, dispatch_uid="catalogue-unpublish")
    post_delete.connect(_withdrawn, sender=ServicePage, dispatch_uid="catalogue-delete")


class CmsFaqProvider:
    """The FAQ snippets: published entries are on the FAQ page (and on their service's page)."""

    def _entry(self, item: Faq) -> faq.FaqEntry:
        from .selectors import faq_page_url

        return faq.FaqEntry(id=item.pk, question=item.question, answer_html=item.answer, url=f"{faq_page_url()}#faq-{item.pk}",
                            topic=item.topic.name, service_slug=item.service.slug if item.service_id else "")

    def search(self, query: str, *, limit: int = 10) -> list[faq.FaqEntry]:
        if not query.strip():
            return []
        # Any of the words, best matches first: a citizen's question is a sentence, not a search query.
        found = get_search_backend().search(query, Faq.objects.select_related("topic", "service"), operator="or")[:limit]
        return [self._entry(item) for item in found]

    def for_service(self, slug: str) -> list[faq.FaqEntry]:
        items = Faq.objects.filter(service__slug=slug).select_related("topic", "service").order_by("sort_order", "id")
        return [self._entry(item) for item in items]

    def get(self, entry_id: int) -> faq.FaqEntry | None:
        item = Faq.objects.select_related("topic", "service").filter(pk=entry_id).first()
        return self._entry(item) if item else None

    def propose(self, *, question: str, answer: str, service_slug: str = "", proposed_by: str = "") -> int:
        service = ServicePage.objects.filter(slug=service_slug).first() if service_slug else None
        proposal = FaqProposal.objects.create(question=question[:255], answer=strip_tags(answer), service=service,
                                              proposed_by=proposed_by[:150])
        return proposal.pk
