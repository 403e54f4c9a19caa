"""The service catalogue: one row per published service page, written by the CMS when it publishes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """What every app may know of a service: its address, office, online module and online window.

    Editors set these on the service page; publishing the page writes the row (`actions.service_publish`), so
    the applications engine, the personal area and the page itself read one window from here.
    """

    wagtail_reference_index_ignore = True

    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    title = models.CharField(_("titolo"), max_length=255)
    category = models.CharField(_("categoria"), max_length=255, blank=True)
    category_slug = models.SlugField(max_length=255, blank=True)
    office = models.ForeignKey("accounts.Office", verbose_name=_("ufficio responsabile"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="catalogue_services")
    url = models.CharField(_("indirizzo della scheda"), max_length=500, blank=True)
    module = models.CharField(_("modulo online"), max_length=60, blank=True)  # a key of modules.py, or ""
    opens_at = models.DateTimeField(_("apertura online"), null=True, blank=True)
    closes_at = models.DateTimeField(_("chiusura online"), null=True, blank=True)
    live = models.BooleanField(_("pubblicato"), default=True)
    source_id = models.PositiveIntegerField(null=True, blank=True, unique=True)  # the CMS page's id, to follow a renamed slug
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("servizio del catalogo")
        verbose_name_plural = _("catalogo dei servizi")

    def __str__(self):
        return self.title
