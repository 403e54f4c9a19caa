"""Existing sites: the service catalogue gets a row for every live service page (later publishes keep it)."""

from django.db import migrations

STEPLEN = 4  # Wagtail's tree path: four characters a level


def fill(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ServicePage = apps.get_model("home", "ServicePage")
    Service = apps.get_model("catalogue", "Service")
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.url_path if site else "/"
    for page in ServicePage.objects.filter(live=True):
        parent = Page.objects.filter(path=page.path[:-STEPLEN]).first()
        url = "/" + page.url_path[len(root):] if page.url_path.startswith(root) else page.url_path
        Service.objects.update_or_create(slug=page.slug, defaults={
            "source_id": page.pk, "title": page.title, "url": url, "live": True,
            "category": parent.title if parent else "", "category_slug": parent.slug if parent else "",
            "office_id": page.office_id, "opens_at": page.online_opens_at, "closes_at": page.online_closes_at,
        })


class Migration(migrations.Migration):
    dependencies = [("home", "0002_ente_identity_faq_proposals"), ("catalogue", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
