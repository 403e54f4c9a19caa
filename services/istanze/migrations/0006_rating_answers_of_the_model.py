"""The service rating's answers become the model's (pa-standards §5); stored ratings keep their meaning."""

from django.db import migrations

# Answers of earlier versions that the model does not have, with the words they stood for: filed under
# "Altro", the words kept at the start of the comment. Frozen here (services/core/rating.py has the same).
RETIRED = {
    "trovato": ("altro-positivo", "Ho capito subito dove trovare le informazioni"),
    "aggiornate": ("altro-positivo", "Le informazioni erano aggiornate"),
    "veloce": ("altro-positivo", "Ho completato la domanda in poco tempo"),
    "non-trovato": ("altro-negativo", "Non ho capito dove trovare le informazioni"),
}
RENAMED = {"facile": "procedura-chiara"}


def remap(model):
    for old, new in RENAMED.items():
        model.objects.filter(answer=old).update(answer=new)
    for old, (new, words) in RETIRED.items():
        for row in model.objects.filter(answer=old):
            row.answer = new
            row.comment = f"{words}. {row.comment}".strip()[:200]
            row.save(update_fields=["answer", "comment"])


def forwards(apps, schema_editor):
    remap(apps.get_model("istanze", "ProcedureRating"))


class Migration(migrations.Migration):
    dependencies = [("istanze", "0005_pratica_in_the_ui")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
