"""How each account's codice fiscale was established: attested by SPID/CIE (a login proved it), declared at the local
sign-up (a password and a typed codice fiscale, no identity provider), or registered by the Comune (imports, staff,
the demo). Uniqueness moves from the column to one account per codice fiscale among the trusted and one among the
declared, so that a SPID login never has to sign into the account of whoever typed that codice fiscale first."""

from django.db import migrations, models


def classify(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    LoginEvent = apps.get_model("accounts", "LoginEvent")
    for user in User.objects.exclude(fiscal_code=None).iterator():
        proven = LoginEvent.objects.filter(user=user, method__in=["spid", "cie"]).order_by("-created_at").first()
        if proven is not None:
            user.fiscal_code_source = proven.method
            user.assurance_level = int(proven.level[1:]) if proven.level[1:].isdecimal() else 0
        elif user.password and not user.password.startswith("!") and not user.is_staff:
            # a local sign-up: its own password, never a SPID/CIE login
            user.fiscal_code_source = "declared"
            user.username = f"locale-{user.fiscal_code}"
        else:
            continue
        user.save(update_fields=["fiscal_code_source", "assurance_level", "username"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_verification_without_account")]

    operations = [
        migrations.AddField(
            model_name="user", name="fiscal_code_source",
            field=models.CharField(choices=[("declared", "dichiarato dalla persona (registrazione al portale)"),
                                            ("office", "registrato dal Comune"), ("spid", "attestato da SPID"),
                                            ("cie", "attestato da CIE"), ("cns", "attestato da CNS")],
                                   default="office", max_length=10, verbose_name="origine del codice fiscale"),
        ),
        migrations.AddField(
            model_name="user", name="assurance_level",
            field=models.PositiveSmallIntegerField(default=0, help_text="1-3 come i livelli SPID; 0 se non attestata.",
                                                   verbose_name="livello di garanzia dell'identità"),
        ),
        migrations.AlterField(
            model_name="user", name="fiscal_code",
            field=models.CharField(blank=True, max_length=16, null=True, verbose_name="codice fiscale"),
        ),
        migrations.AlterField(
            model_name="loginevent", name="method",
            field=models.CharField(choices=[("spid", "SPID"), ("cie", "CIE"), ("cns", "CNS"), ("local", "credenziali del portale")],
                                   max_length=10, verbose_name="modalità"),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(condition=models.Q(("fiscal_code_source", "declared"), _negated=True),
                                               fields=("fiscal_code",), name="accounts_user_one_trusted_fiscal_code",
                                               violation_error_message="Esiste già un utente con questo codice fiscale."),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(condition=models.Q(("fiscal_code_source", "declared")), fields=("fiscal_code",),
                                               name="accounts_user_one_declared_fiscal_code",
                                               violation_error_message="Esiste già un utente con questo codice fiscale."),
        ),
    ]
