from django.apps import AppConfig


class BuilderConfig(AppConfig):
    name = "services.builder"
    label = "builder"
    verbose_name = "Procedure costruite"

    def ready(self):
        from wagtail.signals import published

        from services.core import demo

        from . import demo as builder_demo
        from . import source
        from .models import BuiltProcedure

        demo.register("builder.procedures", builder_demo.load, order=40)  # after the offices, before the site's pages
        source.connect()
        published.connect(_published, sender=BuiltProcedure, dispatch_uid="builder-version-on-publish")


def _published(sender, instance, revision=None, **kwargs):
    from . import actions

    actions.version_publish(procedure=instance, by=getattr(revision, "user", None))
