"""`{% load static_urls %}`: Django's `{% load static %}`, with each file's URL worked out once per process.

Django's tag asks whether staticfiles is installed (a walk over every app) and the manifest storage for the hashed
name on every use; a page uses it a dozen times (the stylesheets, the fonts, the sprite), a tenth of an uncached
service page's time (bench/README.md, "Pages"). The URL of a file changes only with a new collectstatic, which
restarts the processes. The site's templates load this one; the admin's keep Django's."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)  # get_static_prefix, get_media_prefix, and static, replaced below
register.filters.update(django_static.register.filters)


@lru_cache(maxsize=2048)
def _url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


class StaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path):
        return _url(path) if isinstance(path, str) else super().handle_simple(path)


register.tag("static", StaticNode.handle_token)


def _forget(*, setting, **kwargs):
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "INSTALLED_APPS"):
        _url.cache_clear()


setting_changed.connect(_forget)
