from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import DefaultAccountAdapter

from services.core import observability, sending


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """allauth's back-off after too many failed logins: a lockout an operator sees (sportello.security)."""
        from django.core.exceptions import ValidationError

        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            observability.security("login.locked", method="local")
            raise

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (address confirmation, password reset) leave through notifications, like every message."""
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        sending.send_email(to=email, subject=message.subject, text=message.body, html=html)

    def populate_username(self, request, user):
        """Local accounts use the e-mail to sign in; the username says the codice fiscale is only declared."""
        if not user.username and getattr(user, "fiscal_code", None):
            from .forms import declared_username

            user.username = declared_username(user.fiscal_code)
        super().populate_username(request, user)


def user_display(user) -> str:
    """How allauth names a person in its messages ("collegato come …"): by name, never by the codice fiscale."""
    return user.get_full_name() or user.email or str(_("il tuo account"))
