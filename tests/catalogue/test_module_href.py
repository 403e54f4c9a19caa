"""A module's address is worked out once per process (catalogue.modules.href), and again when what it depends on
changes: the module registered under its key, the URLconf."""

from django.urls import clear_url_caches, set_script_prefix

import pytest

from services.catalogue import modules

calls = []


def _url():
    calls.append(1)
    return "/area-personale/prova/"


@pytest.fixture
def module():
    calls.clear()
    module = modules.register(modules.Module(key="prova-href", label="Prova", url=_url))
    yield module
    modules.unregister("prova-href")


def test_the_address_is_reversed_once(module):
    assert modules.href(module) == modules.href(module) == "/area-personale/prova/"
    assert len(calls) == 1


def test_registering_again_or_another_urlconf_forgets_it(module, settings):
    modules.href(module)
    modules.unregister("prova-href")
    modules.register(module)
    modules.href(module)
    assert len(calls) == 2
    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()
    modules.href(module)
    assert len(calls) == 3


def test_each_script_prefix_has_its_own(module):
    try:
        set_script_prefix("/comune/")
        modules.href(module)
    finally:
        set_script_prefix("/")
    modules.href(module)
    assert len(calls) == 2
