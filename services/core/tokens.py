"""Secrets handed to people (one-time links, SMS codes, cancellation codes, reply links) are kept only as a keyed hash:
HMAC-SHA256 with the site's SECRET_KEY and a purpose, so that a copy of the database opens nothing and a hash made for
one purpose does not work for another. Compared in constant time."""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(purpose: str, secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}\x00{secret}".encode(), hashlib.sha256).hexdigest()


def matches(stored: str, purpose: str, secret: str) -> bool:
    return bool(stored) and hmac.compare_digest(stored, keyed_hash(purpose, secret))
