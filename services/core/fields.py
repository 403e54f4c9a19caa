"""Model fields shared by the apps."""

from django.db import models

from cryptography.fernet import InvalidToken

from .storage import _fernet


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the private files' Fernet keys (health data such as a medical diet).

    The database holds only the token; the value is decrypted when the row is loaded. Reads that must be
    logged go through a selector that writes the log (see meals.selectors.medical_diet_read)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return ""  # a key that was rotated out: unreadable, never shown as ciphertext

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value or ""
        return _fernet().encrypt(value.encode()).decode()
