"""Password rules with their messages in Italian.

Django 5.2 changed the wording of the minimum-length error and its Italian catalogue does not have
the new one yet, so a citizen read "This password is too short…" in English.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "La password è troppo corta: deve avere almeno %(min_length)d carattere.",
            "La password è troppo corta: deve avere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}
