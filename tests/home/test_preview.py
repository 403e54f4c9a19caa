"""Editors preview every page of the demo from its latest revision (modelcluster's in-memory
relations, as in the editor's side panel) without an error."""

from django.test import RequestFactory

from modelcluster.fields import ParentalManyToManyField
from wagtail.models import Page


def test_every_demo_page_previews_from_its_revision(demo, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    assert len(pages) > 20
    for page in pages:
        draft = page.get_latest_revision_as_object()
        for field in draft._meta.get_fields():
            if isinstance(field, ParentalManyToManyField):  # as the edit form sets them: in memory
                setattr(draft, field.name, list(getattr(draft, field.name).all()))
        response = draft.make_preview_request(original_request=request)
        assert response.status_code == 200, (page.url_path, response.status_code)
