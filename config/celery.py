"""Celery application.

Without ``CELERY_BROKER_URL`` the settings make every task run in-process
(``task_always_eager``), so ``make run`` needs no broker; with it, tasks go to a
real worker and beat runs the schedules below (all in UTC).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("sportello")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
