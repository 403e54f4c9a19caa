import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from allauth.account.signals import email_confirmed

from services.core import observability

from .models import User

logger = logging.getLogger("sportello.security")


@receiver(user_logged_in, dispatch_uid="accounts-local-login-event")
def record_local_login(sender, request, user, **kwargs):
    """SPID/CIE logins are recorded by the ACS view with their level; this records the others."""
    backend = getattr(user, "backend", "") or ""
    if "allauth" in backend or backend.endswith("ModelBackend"):
        from .actions import login_event_record

        login_event_record(user=user, method="local")


@receiver(user_login_failed, dispatch_uid="accounts-login-failed-log")
def log_failed_login(sender, credentials, request=None, **kwargs):
    # No personal data: neither the address typed nor the password.
    observability.security("login.failed", method="local")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts-staff-groups-log")
def log_group_change(sender, instance, action, pk_set=None, **kwargs):
    if (action in ("post_add", "post_remove") and pk_set) or action == "post_clear":  # an add of a group held already: no change
        observability.security("role.changed", kind="staff_group", user_id=getattr(instance, "pk", None),
                               change=action.removeprefix("post_"), groups=sorted(pk_set or []))


@receiver(email_confirmed, dispatch_uid="accounts-email-confirmed")
def mark_email_verified(sender, request, email_address, **kwargs):
    """One verification, one truth: the sign-up's confirmation link proves the address for the personal area, the URP
    form and the bookings too."""
    User.objects.filter(pk=email_address.user_id, email__iexact=email_address.email).update(email_verified=True)
