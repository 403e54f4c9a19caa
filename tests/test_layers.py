"""The import directions hold for foreign keys too: a relation by string ("app.Model") is an import that
import-linter cannot see, so every relation between project apps is checked here against the same
contracts (.importlinter), and apps.get_model is not used outside migrations to reach across them."""

import configparser
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def _contracts():
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    for section in parser.sections():
        if parser.get(section, "type", fallback="") == "forbidden":
            yield (parser.get(section, "name"), parser.get(section, "source_modules").split(),
                   parser.get(section, "forbidden_modules").split())


def _within(module: str, packages: list[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _relations():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or field.auto_created and not field.concrete:
                continue  # reverse accessors are the other side's relation
            yield model, field, related


def test_contracts_are_read():
    assert len(list(_contracts())) >= 7


def test_foreign_keys_follow_the_import_directions():
    broken = []
    for name, sources, forbidden in _contracts():
        for model, field, related in _relations():
            if _within(model.__module__, sources) and _within(related.__module__, forbidden):
                broken.append(f"{name}: {model._meta.label}.{field.name} -> {related._meta.label}")
    assert broken == []


def test_no_get_model_across_apps_outside_migrations():
    """The global registry's get_model would reach any app by name; migration helpers get `apps` passed in."""
    registry = re.compile(r"^from django\.apps import apps\b|^from django\.apps import .*\bapps\b|django\.apps\.apps\.get_model", re.M)
    found = [str(path.relative_to(ROOT)) for package in ("services", "home", "search")
             for path in (ROOT / package).rglob("*.py")
             if "migrations" not in path.parts and "get_model(" in (text := path.read_text()) and registry.search(text)]
    assert found == []
