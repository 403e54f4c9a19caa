"""A person's channels become a set of channel codes (issue 26): today's three choices are kept."""

from django.db import migrations, models

import services.accounts.models


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "notify_by_io", "notify_by_email", "notify_by_sms").iterator():
        chosen = [code for code, on in (("io", user.notify_by_io), ("email", user.notify_by_email), ("sms", user.notify_by_sms)) if on]
        User.objects.filter(pk=user.pk).update(notify_channels=chosen)


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "notify_channels").iterator():
        chosen = set(user.notify_channels or [])
        User.objects.filter(pk=user.pk).update(notify_by_io="io" in chosen, notify_by_email="email" in chosen, notify_by_sms="sms" in chosen)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_confirmed_emails_verified")]

    operations = [
        migrations.AddField(model_name="user", name="notify_channels",
                            field=models.JSONField(blank=True, default=services.accounts.models.default_notify_channels,
                                                   verbose_name="canali degli avvisi")),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="user", name="notify_by_io"),
        migrations.RemoveField(model_name="user", name="notify_by_email"),
        migrations.RemoveField(model_name="user", name="notify_by_sms"),
    ]
