from django.db import models


class Sequence(models.Model):
    """A named counter that never skips a value: `services.core.sequences.sequence_next`."""

    key = models.CharField(max_length=100, unique=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.last_value}"
