"""Every page type and every main model has a factory, and each factory builds a valid object."""

import inspect

from django.apps import apps

from wagtail.models import Page

import pytest

from tests import factories

# The models tests create most: a new one here needs its factory in tests/factories.
MAIN_MODELS = [
    "accounts.User", "accounts.Office", "schools.School", "schools.Ambito", "oepac.Organisation", "istanze.Istanza",
    "meals.Wallet", "meals.Child", "meals.FeeBand", "transport.Route", "transport.Stop", "payments.PaymentPosition",
    "notifications.Broadcast", "notifications.Message", "catalogue.Service",
]


def _factories():
    return {f._meta.model: f for _name, f in inspect.getmembers(factories, inspect.isclass)
            if issubclass(f, factories.DjangoModelFactory) and f._meta.model is not None}


def test_every_page_type_has_a_factory():
    page_types = {m for m in apps.get_app_config("home").get_models() if issubclass(m, Page)}
    assert page_types and page_types - set(_factories()) == set()


def test_every_main_model_has_a_factory():
    missing = [label for label in MAIN_MODELS if apps.get_model(label) not in _factories()]
    assert missing == []


@pytest.mark.parametrize("label", MAIN_MODELS)
def test_each_model_factory_builds_a_valid_row(db, label):
    model = apps.get_model(label)
    obj = _factories()[model]()
    assert model.objects.filter(pk=obj.pk).exists()


def test_each_page_factory_builds_a_page_under_the_home(demo):
    from home.models import ServiceCategoryPage

    category = ServiceCategoryPage.objects.first()
    page = factories.ServicePageFactory(parent=category)
    page.full_clean()
    assert page.get_parent().specific == category and page.live
    news = factories.NewsPageFactory(parent=demo)
    assert news.get_parent().specific == demo
