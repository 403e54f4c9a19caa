"""Invalidate the full-page cache when anything a page shows changes."""

from django.db.models.signals import post_delete, post_save

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from services.payments.suspension import PaymentSettings

from .cache import invalidate_all
from .models import EnteSettings, Faq, Office, Topic


def _invalidate(**kwargs):
    invalidate_all()


for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
    signal.connect(_invalidate, dispatch_uid=f"pagecache-{id(signal)}")

# Documents, their collections and restrictions: *Documenti e dati* lists them.
for model in (
    EnteSettings, Faq, Office, Topic, Site, SearchPromotion, PageViewRestriction,
    get_document_model(), Collection, CollectionViewRestriction,
    PaymentSettings,  # a suspension's notice shows on the top-up's service page
):
    post_save.connect(_invalidate, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    post_delete.connect(_invalidate, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_all()


post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-delete")
