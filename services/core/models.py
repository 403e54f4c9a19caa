from django.db import models


class Sequence(models.Model):
    """A named counter that never skips a value: `services.core.sequences.sequence_next`."""

    key = models.CharField(max_length=100, unique=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.last_value}"


class TransitionEvent(models.Model):
    """One change of state of any registered record (services/core/workflow.py): which record, from and to, who, why,
    when. Append-only."""

    model = models.CharField(max_length=100)  # app_label.modelname
    object_pk = models.CharField(max_length=64)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    # who: the user's id and name as they were (the core relates to no other app; the record outlives the account)
    by_id = models.BigIntegerField(null=True, blank=True)
    by_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["model", "object_pk", "at"])]

    def __str__(self):
        return f"{self.model}:{self.object_pk} {self.from_state}→{self.to_state}"


class JobRun(models.Model):
    """The last run of each scheduled job (a Celery beat task): when it started and ended, whether it succeeded and how
    long it took. The health probes read it (the age of the last daily charge run)."""

    name = models.CharField(max_length=200, primary_key=True)  # the task's name
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} {self.state}"
