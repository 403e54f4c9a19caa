from django.core.management import call_command

from celery import shared_task


@shared_task
def publish_scheduled_pages():
    """Publish and unpublish pages whose scheduled time has come (Wagtail's scheduled publishing)."""
    call_command("publish_scheduled")
