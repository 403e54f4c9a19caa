"""Linking a declared account to the attested one of the same person.

A local sign-up only *declares* a codice fiscale; a SPID/CIE login *proves* it. When both exist, the login signs into
the attested account and offers the link: the person, signed in with SPID/CIE in this session, types the local
account's password. Then the local account (with its applications, payments and messages) becomes the attested one,
its password login ends, and the empty account the login had just created is deleted. Proof from both sides, so a
stranger who typed someone's codice fiscale gains nothing, and neither does someone who only knows a password."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from services.core import observability

from .models import ATTESTED, FiscalCodeSource, LoginEvent, User, VerificationCode

logger = logging.getLogger("sportello.security")
MAX_ATTEMPTS = 5  # wrong passwords per attested account in 15 minutes
# What an account holds of its own once it exists: these rows are its bookkeeping, not the person's data.
BOOKKEEPING = {"accounts.user", "accounts.loginevent", "accounts.verificationcode", "account.emailaddress",
               "mfa.authenticator", "wagtailusers.userprofile", "accounts.user_groups", "accounts.user_offices",
               "accounts.user_user_permissions"}


class LinkError(Exception):
    """A message for the person, in Italian."""


def declared_twin(user: User) -> User | None:
    """The declared account that typed this attested account's codice fiscale, if any."""
    if not user.fiscal_code_attested:
        return None
    return User.objects.filter(fiscal_code=user.fiscal_code, fiscal_code_source=FiscalCodeSource.DECLARED).exclude(pk=user.pk).first()


def holds_data(user: User) -> bool:
    """Anything but the account's own bookkeeping would go with it (applications, payments, messages, logs)."""
    collector = Collector(using="default")
    collector.collect([user])
    for model, instances in collector.data.items():
        if model._meta.label_lower not in BOOKKEEPING and instances:
            return True
    for queryset in collector.fast_deletes:
        if queryset.model._meta.label_lower not in BOOKKEEPING and queryset.exists():
            return True
    for (field, _value), batches in collector.field_updates.items():  # SET_NULL: querysets (or instances) to update
        if field.model._meta.label_lower in BOOKKEEPING:
            continue
        for batch in batches:
            if batch.exists() if isinstance(batch, QuerySet) else bool(batch):
                return True
    return False


def _attempts_key(user: User) -> str:
    return f"accounts:link-attempts:{user.pk}"


@transaction.atomic
def link(*, attested: User, password: str, method: str) -> User:
    """The declared twin becomes the attested account; returns it (to sign into). `method` is what this session
    proved (spid, cie, cns): without it nothing is linked."""
    if method not in ATTESTED or not attested.fiscal_code_attested:
        raise LinkError(_("Per collegare l'account accedi con SPID, CIE o CNS."))
    if cache.get(_attempts_key(attested), 0) >= MAX_ATTEMPTS:
        observability.security("login.locked", method="account_link", user_id=attested.pk)
        raise LinkError(_("Troppi tentativi: riprova tra un quarto d'ora."))
    attested = User.objects.select_for_update().get(pk=attested.pk)
    twin = declared_twin(attested)
    if twin is None:
        raise LinkError(_("Non c'è un account registrato con il tuo codice fiscale da collegare."))
    twin = User.objects.select_for_update().get(pk=twin.pk)
    if not twin.has_usable_password() or not twin.check_password(password):
        cache.add(_attempts_key(attested), 0, 900)
        cache.incr(_attempts_key(attested))
        observability.security("login.failed", method="account_link", user_id=attested.pk)
        raise LinkError(_("La password non è quella dell'account registrato con il tuo codice fiscale."))
    if holds_data(attested):
        raise LinkError(_("Questo accesso con SPID/CIE ha già pratiche, pagamenti o messaggi: per unire i due account "
                          "rivolgiti all'Ufficio Relazioni con il Pubblico."))
    source, level, code = attested.fiscal_code_source, attested.assurance_level, attested.fiscal_code
    first, last, born = attested.first_name, attested.last_name, attested.date_of_birth
    attested.delete()
    twin.fiscal_code_source, twin.assurance_level, twin.username = source, level, code
    twin.first_name, twin.last_name = first or twin.first_name, last or twin.last_name
    twin.date_of_birth = born or twin.date_of_birth
    twin.set_unusable_password()  # from now on this account opens with SPID/CIE; its old password ends here
    twin.save()
    VerificationCode.objects.filter(user=twin, used_at__isnull=True).delete()
    LoginEvent.objects.create(user=twin, method=source, provider="collegamento dell'account registrato")
    cache.delete(_attempts_key(attested))
    logger.info("Declared account linked to its attested identity")
    return twin
