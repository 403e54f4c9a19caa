"""The sender that `notifications` registers for the code below it (services/core/sending.py): the
verification codes and allauth's e-mails, sent at once (the caller shows the outcome to the person waiting)."""

from django.core.mail import EmailMultiAlternatives

from services.core.phones import normalise_phone

from .sms import send_sms


class NotificationsSender:
    def send_email(self, *, to: str, subject: str, text: str, html: str = "") -> None:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
        if html:
            message.attach_alternative(html, "text/html")
        message.send()

    def send_sms(self, *, to: str, text: str) -> None:
        send_sms(to=normalise_phone(to, mobile=True), text=text)
