"""Django's message storage (a cookie, then the session), with the cookie's signer made only when a message is read or
written: Django's makes it for every request, which most requests (no message) pay for nothing (bench/README.md, the
middleware floor)."""

from django.contrib.messages.storage import base, cookie, fallback, session
from django.core import signing
from django.utils.functional import cached_property


class CookieStorage(cookie.CookieStorage):
    def __init__(self, *args, **kwargs):
        base.BaseStorage.__init__(self, *args, **kwargs)  # cookie.CookieStorage's own only makes the signer

    @cached_property
    def signer(self):
        return signing.get_cookie_signer(salt=self.key_salt)


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)
