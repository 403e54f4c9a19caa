"""Hand to the workers (or, with in-process jobs, send now) what the outbox has waiting: never picked up,
interrupted, or due for a retry. Celery beat runs it every two minutes; `make run` has no beat."""

from django.core.management.base import BaseCommand

from services.notifications.actions import dispatches_requeue, io_statuses_refresh


class Command(BaseCommand):
    help = "Re-queue waiting messages and refresh App IO statuses."

    def handle(self, *args, **options):
        queued = dispatches_requeue()
        refreshed = io_statuses_refresh()
        self.stdout.write(f"{queued} invii rimessi in coda, {refreshed} stati App IO aggiornati")
