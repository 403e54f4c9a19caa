from django.apps import AppConfig


class BuilderConfig(AppConfig):
    name = "services.builder"
    label = "builder"
    verbose_name = "Procedure costruite"

    def ready(self):
        from wagtail.signals import published

        from . import source
        from .models import BuiltProcedure

        source.connect()
        published.connect(_published, sender=BuiltProcedure, dispatch_uid="builder-version-on-publish")


def _published(sender, instance, revision=None, **kwargs):
    from . import actions

    actions.version_publish(procedure=instance, by=getattr(revision, "user", None))
