"""Payments can be suspended between two date-times (e.g. while balances move to a new system, seed 004)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="warning")
class PaymentSettings(BaseGenericSetting):
    suspended_from = models.DateTimeField(_("pagamenti sospesi dal"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("pagamenti sospesi fino al"), null=True, blank=True)
    message = models.CharField(
        _("messaggio ai cittadini"), max_length=300, blank=True,
        help_text=_("Mostrato nell'area personale durante la sospensione. Se vuoto, un testo standard con le date."),
    )

    panels = [FieldPanel("suspended_from"), FieldPanel("suspended_until"), FieldPanel("message")]

    class Meta:
        verbose_name = _("pagamenti pagoPA")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.suspended_from and self.suspended_until and self.suspended_until <= self.suspended_from:
            raise ValidationError({"suspended_until": _("La fine della sospensione deve venire dopo l'inizio.")})


def suspension_message(now=None) -> str:
    """The citizens' message while payments are suspended, or ""."""
    conf = PaymentSettings.load()
    now = now or timezone.now()
    if not conf.suspended_from or now < conf.suspended_from:
        return ""
    if conf.suspended_until and now >= conf.suspended_until:
        return ""
    if conf.message:
        return conf.message
    until = timezone.localtime(conf.suspended_until).strftime("%d/%m/%Y alle %H:%M") if conf.suspended_until else ""
    text = str(_("I pagamenti online sono sospesi per il passaggio al nuovo sistema"))
    return f"{text}{' fino al ' + until if until else ''}. Riprova dopo quella data: nessun importo è andato perso."
