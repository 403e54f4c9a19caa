"""The 0-3 survey as the Region runs it: CPT (a Comune's old yes/no becomes one CPT per province), provinces, authorised
places, municipal users enabled on Comuni, the ISTAT count of children aged 0-2."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def cpt_from_flag(apps, schema_editor):
    """A Comune that said "in a CPT" joins its province's CPT (or one CPT where the province is unknown); the Region
    renames or splits them in the admin."""
    Cpt = apps.get_model("procedures", "Cpt")
    for comune in apps.get_model("procedures", "SurveyComune").objects.filter(in_cpt=True):
        key = comune.province or "00"
        comune.cpt, _ = Cpt.objects.get_or_create(code=f"CPT-{key}", defaults={"name": f"CPT {key}"})
        comune.save(update_fields=["cpt"])


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0002_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Cpt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='codice')),
                ('name', models.CharField(max_length=150, verbose_name='denominazione')),
            ],
            options={
                'verbose_name': 'CPT',
                'verbose_name_plural': 'CPT (Coordinamenti Pedagogici Territoriali)',
                'ordering': ['name'],
            },
        ),
        migrations.AlterModelOptions(
            name='surveycomune',
            options={'ordering': ['name'], 'permissions': [('view_survey_dashboard', 'Può vedere il cruscotto regionale della rilevazione 0-3')], 'verbose_name': 'Comune della rilevazione 0-3', 'verbose_name_plural': 'Comuni della rilevazione 0-3'},
        ),
        migrations.AddField(
            model_name='earlyyearsservice',
            name='places',
            field=models.PositiveIntegerField(default=0, verbose_name='posti autorizzati'),
        ),
        migrations.AddField(
            model_name='surveycomune',
            name='province',
            field=models.CharField(blank=True, help_text='Sigla, ad esempio TO.', max_length=2, verbose_name='provincia'),
        ),
        migrations.AddField(
            model_name='surveycomune',
            name='cpt',
            field=models.ForeignKey(blank=True, help_text="Solo i Comuni in un CPT indicano (e devono indicare) l'azione C1, formazione del personale.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comuni', to='procedures.cpt', verbose_name='CPT'),
        ),
        migrations.RunPython(cpt_from_flag, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='surveycomune',
            name='in_cpt',
        ),
        migrations.CreateModel(
            name='ChildPopulation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='anno')),
                ('children', models.PositiveIntegerField(verbose_name='bambini residenti 0-2 anni')),
                ('comune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='population', to='procedures.surveycomune', verbose_name='Comune')),
            ],
            options={
                'verbose_name': 'popolazione 0-2 anni',
                'verbose_name_plural': 'popolazione 0-2 anni (ISTAT)',
                'ordering': ['comune__name', '-year'],
                'constraints': [models.UniqueConstraint(fields=('comune', 'year'), name='procedures_population_once')],
            },
        ),
        migrations.CreateModel(
            name='ComuneEnablement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled_at', models.DateTimeField(auto_now_add=True, verbose_name='abilitato il')),
                ('comune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enablements', to='procedures.surveycomune', verbose_name='Comune')),
                ('enabled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='abilitato da')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_comuni', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
            ],
            options={
                'verbose_name': 'abilitazione di un utente comunale',
                'verbose_name_plural': 'abilitazioni degli utenti comunali',
                'ordering': ['comune__name', 'user__last_name'],
                'constraints': [models.UniqueConstraint(fields=('user', 'comune'), name='procedures_enablement_once')],
            },
        ),
    ]
