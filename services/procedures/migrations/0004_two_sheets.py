"""RIL03 was one application holding both sheets; SERVIZI 03 (code RIL03) and INTERVENTI (RIL03_INTERVENTI) now live
apart. Each RIL03 application that holds INTERVENTI answers gives them to a new INTERVENTI application of the same
Comune, owner, office and state, with its history copied and, when it was sent, a number of its own from the gapless
counter of the year it was sent. The regional office's group may enable municipal users and see the dashboard."""

from django.db import migrations

from services.core.permissions import grant

SERVICES, ACTIONS = "RIL03", "RIL03_INTERVENTI"
UNSENT = ("bozza", "da_inviare")
PERMS = ([("comuneenablement", f"{a}_comuneenablement") for a in ("view", "add", "delete")]
         + [("cpt", f"{a}_cpt") for a in ("view", "add", "change")]
         + [("childpopulation", f"{a}_childpopulation") for a in ("view", "add", "change", "delete")]
         + [("surveycomune", "view_survey_dashboard")])


def split(apps, schema_editor):
    Istanza = apps.get_model("istanze", "Istanza")
    IstanzaEvent = apps.get_model("istanze", "IstanzaEvent")
    Sequence = apps.get_model("core", "Sequence")
    for old in Istanza.objects.filter(procedure_code=SERVICES).order_by("submitted_at", "pk"):
        data = dict(old.data or {})
        answers = data.pop("interventi", None)
        if answers is None:
            continue
        number = None
        if old.number and old.status not in UNSENT:
            year = old.number.split("_")[-1].split(".")[0]
            counter, _ = Sequence.objects.get_or_create(key=f"istanza:{ACTIONS}:{year}")
            counter.last_value += 1
            counter.save(update_fields=["last_value"])
            number = f"{ACTIONS}_{year}.{counter.last_value:07d}"
        active = sorted(row["servizio"] for row in data.get("servizi") or [] if row.get("stato") == "attivo")
        new = Istanza.objects.create(
            procedure_code=ACTIONS, owner_id=old.owner_id, office_id=old.office_id, status=old.status, number=number,
            data={"comune": data.get("comune", {}), "interventi": {**answers, "servizi_numero": old.number or "", "servizi_attivi": active},
                  "dichiarazioni": data.get("dichiarazioni", {})},
            summary=[s for s in old.summary or [] if "INTERVENTI" in str(s.get("title", "")) or "Comune" == s.get("title")],
            submitted_at=old.submitted_at, taken_in_charge_at=old.taken_in_charge_at, due_date=old.due_date,
            assigned_to_id=old.assigned_to_id)
        for event in IstanzaEvent.objects.filter(istanza=old).order_by("pk"):
            at = event.created_at
            event.pk = None
            event.istanza = new
            event.save()
            IstanzaEvent.objects.filter(pk=event.pk).update(created_at=at)  # the history keeps its dates
        old.data = data
        old.summary = [s for s in old.summary or [] if "INTERVENTI" not in str(s.get("title", ""))]
        if old.current_step == "interventi":
            old.current_step = "dichiarazioni"
        old.save(update_fields=["data", "summary", "current_step"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_survey_sheets"), ("istanze", "0006_rating_answers_of_the_model"),
                    ("core", "0003_job_runs")]
    operations = [
        migrations.RunPython(split, migrations.RunPython.noop),
        migrations.RunPython(lambda apps, _: grant(apps, "procedures", {"Regional validators": PERMS, "Administrators": PERMS}),
                             migrations.RunPython.noop),
        # the regional office works the sheets sent to it on the applications desk, like an office
        migrations.RunPython(lambda apps, _: grant(apps, "istanze", {"Regional validators": [("istanza", "view_istanza"),
                                                                                             ("istanza", "change_istanza")]},
                                                   admin_access=("Regional validators",)), migrations.RunPython.noop),
    ]
