"""The sender that `notifications` registers for the code below it (services/core/sending.py)."""

from django.core.mail import send_mail

from .sms import send_sms


class NotificationsSender:
    def send_email(self, *, to: str, subject: str, text: str) -> None:
        send_mail(subject, text, None, [to])

    def send_sms(self, *, to: str, text: str) -> None:
        send_sms(to=to, text=text)
