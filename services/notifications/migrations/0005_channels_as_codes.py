"""Channels as a registry (issue 26): a broadcast's channels become a list of codes, a message's channel texts one
`parts` object, a dispatch's channel any registered code. Today's data is kept."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Broadcast = apps.get_model("notifications", "Broadcast")
    Message = apps.get_model("notifications", "Message")
    for broadcast in Broadcast.objects.iterator():
        broadcast.channels = [code for code, on in (("io", broadcast.by_io), ("email", broadcast.by_email), ("sms", broadcast.by_sms)) if on]
        broadcast.save(update_fields=["channels"])
    for message in Message.objects.only("pk", "sms", "io_subject", "io_markdown").iterator():
        parts = {}
        if message.io_subject:
            parts["io"] = {"subject": message.io_subject, "markdown": message.io_markdown}
        if message.sms:
            parts["sms"] = {"text": message.sms}
        if parts:
            Message.objects.filter(pk=message.pk).update(parts=parts)


def backwards(apps, schema_editor):
    Broadcast = apps.get_model("notifications", "Broadcast")
    Message = apps.get_model("notifications", "Message")
    for broadcast in Broadcast.objects.iterator():
        chosen = set(broadcast.channels or [])
        Broadcast.objects.filter(pk=broadcast.pk).update(by_io="io" in chosen, by_email="email" in chosen, by_sms="sms" in chosen)
    for message in Message.objects.exclude(parts={}).only("pk", "parts").iterator():
        io, sms = message.parts.get("io", {}), message.parts.get("sms", {})
        Message.objects.filter(pk=message.pk).update(io_subject=io.get("subject", ""), io_markdown=io.get("markdown", ""),
                                                     sms=sms.get("text", ""))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_outbox")]

    operations = [
        migrations.AddField(model_name="broadcast", name="channels", field=models.JSONField(default=list, verbose_name="canali")),
        migrations.AddField(model_name="message", name="parts", field=models.JSONField(blank=True, default=dict)),
        migrations.AlterField(model_name="dispatch", name="channel", field=models.CharField(max_length=20, verbose_name="canale")),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="broadcast", name="by_io"),
        migrations.RemoveField(model_name="broadcast", name="by_email"),
        migrations.RemoveField(model_name="broadcast", name="by_sms"),
        migrations.RemoveField(model_name="message", name="sms"),
        migrations.RemoveField(model_name="message", name="io_subject"),
        migrations.RemoveField(model_name="message", name="io_markdown"),
    ]
