"""Local accounts that confirmed their address at sign-up before the personal area read that confirmation."""

from django.db import migrations


def mark(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for address in EmailAddress.objects.filter(verified=True).iterator():
        User.objects.filter(pk=address.user_id, email__iexact=address.email, email_verified=False).update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_fiscal_code_source"), ("account", "0001_initial")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
