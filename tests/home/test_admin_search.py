from django.urls import reverse

from wagtail.snippets.models import get_snippet_models

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", get_snippet_models(), ids=lambda m: m._meta.label)
def test_every_admin_listing_answers_a_search(client, superuser, demo, model):
    client.force_login(superuser)
    url = reverse(model.snippet_viewset.get_url_name("list"))
    assert client.get(url, {"q": "Rossi"}).status_code == 200
