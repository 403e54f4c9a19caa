"""Private files: outside the web root, encrypted at rest, read only through authorised views.

Every file is encrypted with Fernet (AES-128-CBC + HMAC-SHA256). FILE_ENCRYPTION_KEYS holds one or
more keys, newest first: new files use the first, old files stay readable after a rotation.
"""

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def file_keys() -> list[str]:
    """The file keys in use, newest first."""
    configured = list(getattr(settings, "FILE_ENCRYPTION_KEYS", []) or [])
    if configured:
        return configured
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("FILE_ENCRYPTION_KEYS (or SECRET_KEY) is required to store private files.")
    # Development and tests: a key derived from SECRET_KEY. Production settings require real keys.
    return [base64.urlsafe_b64encode(hashlib.sha256(b"sportello-files:" + settings.SECRET_KEY.encode()).digest()).decode()]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in file_keys()])


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage under PRIVATE_MEDIA_ROOT whose files are ciphertext on disk."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _save(self, name, content):
        content.seek(0)
        token = _fernet().encrypt(content.read())
        return super()._save(name, ContentFile(token))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as handle:
            token = handle.read()
        try:
            plain = _fernet().decrypt(token)
        except InvalidToken as error:
            raise OSError(f"{name}: not readable with the configured keys") from error
        return ContentFile(plain, name=name)

    def size(self, name):
        with self._open(name) as handle:
            return handle.size

    def url(self, name):
        raise NotImplementedError("private files have no public URL; use the authorised download view")


private_storage = EncryptedFileSystemStorage()
