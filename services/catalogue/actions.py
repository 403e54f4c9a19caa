"""Writes of the catalogue. The CMS calls them when a service page is published, unpublished or deleted."""

from datetime import datetime

from django.db import transaction

from . import modules
from .models import Service
from .selectors import bump_version


def service_publish(*, source_id: int | None, slug: str, title: str, url: str, category: str = "", category_slug: str = "",
                    office_id: int | None = None, module: str = "", opens_at: datetime | None = None,
                    closes_at: datetime | None = None) -> Service:
    """Write the row of a published service; a page whose slug changed keeps one row (found by its source).
    `module` is the key of the online module the page offers; one no longer registered in modules.py (a
    scheduled publish after the code dropped it) is written as none, so the engine never points to it."""
    module = module if modules.get(module) else ""
    values = {"slug": slug, "title": title, "url": url, "category": category, "category_slug": category_slug,
              "office_id": office_id, "opens_at": opens_at, "closes_at": closes_at, "live": True,
              "module": module}
    with transaction.atomic():
        row = Service.objects.select_for_update().filter(source_id=source_id).first() if source_id else None
        if row is not None:
            Service.objects.filter(slug=slug).exclude(pk=row.pk).delete()
            Service.objects.filter(pk=row.pk).update(**values)
            row.refresh_from_db()
        else:
            row, _created = Service.objects.update_or_create(slug=slug, defaults={**values, "source_id": source_id})
    transaction.on_commit(bump_version)
    bump_version()
    return row


def service_withdraw(*, source_id: int) -> None:
    """An unpublished or deleted page: its service leaves the catalogue (its module keeps the window in code)."""
    Service.objects.filter(source_id=source_id).update(live=False)
    transaction.on_commit(bump_version)
    bump_version()
