"""The procedure wizard: django-formtools with its state in the database (Istanza.wizard).

A draft resumes on any device. Every step can be saved as a draft, even half filled; moving on
needs the step to be valid; a step can only be posted once every step before it is valid (no
skipping by editing the hidden current-step field); at the end every step is validated again
before the data is frozen and the application moves to DA INVIARE.
"""

import os
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.forms.formsets import BaseFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import StepsHelper, WizardView

from services.core.forms import AttachmentField
from services.core.storage import private_storage

from . import actions
from .models import Attachment, Istanza
from .states import EDITABLE, TransitionError
from .summary import form_values, kept_rows, section

PREFIX = "istanza"


class IstanzaStorage(BaseStorage):
    """formtools storage kept in Istanza.wizard; `persist()` writes it back in one UPDATE."""

    validated_key = "validated"

    def __init__(self, prefix, request=None, file_storage=None, *, istanza: Istanza):
        super().__init__(prefix, request, file_storage)
        self.istanza = istanza
        self.data = istanza.wizard or None  # freshly decoded from the row: ours to change
        if not self.data:
            self.init_data()
        self.data.setdefault(self.validated_key, [])

    def init_data(self):
        super().init_data()
        self.data[self.validated_key] = []

    def is_validated(self, step) -> bool:
        return step in self.data[self.validated_key]

    def mark(self, step, valid: bool):
        steps = set(self.data[self.validated_key])
        steps.add(step) if valid else steps.discard(step)
        self.data[self.validated_key] = sorted(steps)

    def set_step_files(self, step, files):
        """Files go to private, encrypted storage under a random name (never the citizen's file name)."""
        current = self.data[self.step_files_key].setdefault(step, {})
        for field, upload in (files or {}).items():
            previous = current.get(field)
            ext = os.path.splitext(upload.name)[1].lower()[:8]
            upload.seek(0)
            stored = self.file_storage.save(f"istanze/{self.istanza.public_id}/{uuid.uuid4().hex}{ext}", upload)
            current[field] = {
                "tmp_name": stored,
                "name": os.path.basename(upload.name)[:200],
                "content_type": upload.content_type,
                "size": upload.size,
                "charset": upload.charset,
            }
            if previous and not Attachment.objects.filter(file=previous["tmp_name"]).exists():
                self.file_storage.delete(previous["tmp_name"])

    def stored_files(self, step) -> dict:
        return dict(self.data[self.step_files_key].get(step, {}))

    def update_response(self, response):
        for upload in self._files.values():
            if not upload.closed:
                upload.close()

    def persist(self) -> bool:
        """False when the application stopped being editable meanwhile (e.g. submitted in another tab)."""
        from django.utils import timezone

        return bool(
            Istanza.objects.filter(pk=self.istanza.pk, status__in=EDITABLE).update(
                wizard=self.data, current_step=self.current_step or "", updated_at=timezone.now()
            )
        )


class ProcedureWizard(WizardView):
    template_name = "istanze/wizard.html"
    file_storage = private_storage
    procedure = None  # set by as_view()

    # formtools entry points ---------------------------------------------------------------

    def dispatch(self, request, *args, istanza: Istanza, **kwargs):
        self.istanza = istanza
        self.prefix = PREFIX
        self.storage = IstanzaStorage(self.prefix, request, self.file_storage, istanza=istanza)
        self.steps = StepsHelper(self)
        response = TemplateView.dispatch(self, request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def get(self, request, *args, **kwargs):
        step = self.storage.current_step
        if step not in self.get_form_list() or not self.reachable(step):
            step = self.first_open_step()
        self.storage.current_step = step
        return self.render(self.stored_form(step))

    def post(self, request, *args, **kwargs):
        management = ManagementForm(request.POST, prefix=self.prefix)
        if not management.is_valid():
            messages.error(request, _("La pagina non era aggiornata: ecco il passo a cui eri arrivato."))
            return redirect(self.url)
        step = management.cleaned_data["current_step"]
        if step not in self.get_form_list() or not self.reachable(step):
            messages.error(request, _("Completa prima i passi precedenti."))
            self.storage.current_step = self.first_open_step()
            self.storage.persist()
            return redirect(self.url)
        self.storage.current_step = step
        form = self.get_form(step, data=request.POST, files=self.merged_files(step))
        valid = form.is_valid()
        self.keep(step, form, valid)
        action = request.POST.get("azione", "avanti")
        goto = request.POST.get("wizard_goto_step")

        if goto or action in ("indietro", "bozza", "aggiungi", "aggiorna"):
            if action == "indietro" and not goto:
                goto = self.steps.prev
            if goto and goto in self.get_form_list() and self.reachable(goto):
                self.storage.current_step = goto
            if not self.storage.persist():
                return redirect("istanze:detail", public_id=self.istanza.public_id)
            if action == "bozza" and request.POST.get("scadenza") == "1":
                # The page saved what was typed as the session was about to end for inactivity: end it now, and
                # bring the person back to this step after signing in again.
                logout(request)
                messages.info(request, _("La sessione è scaduta per inattività: quanto avevi scritto è salvato nella bozza. "
                                         "Accedi di nuovo per continuare."))
                return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': self.url, 'sessione': 'scaduta'})}")
            if action == "bozza":
                messages.success(
                    request, _("Bozza salvata: puoi riprendere la compilazione quando vuoi, anche da un altro dispositivo.")
                )
            return redirect(self.url)

        if not valid:
            self.storage.persist()
            return self.render(form)
        self.__dict__.pop("_resolved_form_list", None)  # the data may change which steps apply
        if step == self.steps.last:
            return self.render_done(form, current=step)
        self.storage.current_step = self.steps.next
        self.storage.persist()
        return redirect(self.url)

    def render_done(self, form, current=None, **kwargs):
        final = {}
        for key in self.get_form_list():
            checked = form if key == current else self.stored_form(key)  # the step just posted is already valid
            if not checked.is_bound or not checked.is_valid():
                self.storage.current_step = key
                self.storage.mark(key, False)
                self.storage.persist()
                messages.error(self.request, _("Controlla questo passo: alcuni dati mancano o non sono più validi."))
                return self.render(checked)
            final[key] = checked
        return self.done(final)

    def done(self, final: dict, **kwargs):
        files = []
        for key, form in final.items():
            stored = self.storage.stored_files(key)
            # a form's files, or each kept row's of a formset (e.g. a certificate for one of the children)
            kept = kept_rows(form) if isinstance(form, BaseFormSet) else []
            rows = [(f"{key}-{form.forms.index(row)}-", row, f" ({getattr(form, 'item_label', _('Elemento'))} {n})")
                    for n, row in enumerate(kept, start=1)] if isinstance(form, BaseFormSet) else [(f"{key}-", form, "")]
            for prefix, row, suffix in rows:
                for name, field in row.fields.items():
                    entry = stored.get(f"{prefix}{name}")
                    dropped = not row.cleaned_data.get(name)  # e.g. not needed for the choice made
                    if isinstance(field, AttachmentField) and entry and not dropped:
                        files.append({"field": f"{prefix}{name}", "label": f"{field.label}{suffix}",
                                      "sensitive": field.sensitive, **entry})
        try:
            actions.istanza_compile(
                istanza=self.istanza,
                by=self.request.user,
                data={key: form_values(form) for key, form in final.items()},
                summary=[section(self.procedure.step(key).title, form) for key, form in final.items()],
                files=files,
                wizard=self.storage.data,
            )
        except TransitionError:
            pass  # a double click: the first request already moved it on; show where it is now
        return redirect("istanze:summary", public_id=self.istanza.public_id)

    def get_form_initial(self, step):
        if self.procedure.prefill:
            return self.procedure.prefill(self.request.user).get(step, {})
        return {}

    def get_form_kwargs(self, step=None):
        form_class = self.get_form_list()[step or self.steps.current]
        if getattr(form_class, "wants_wizard", False):
            return {"wizard": self}
        return {}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        steps = list(self.get_form_list())
        context.update(
            procedure=self.procedure,
            istanza=self.istanza,
            step_title=self.procedure.step(self.steps.current).title,
            is_formset=isinstance(form, BaseFormSet),
            # a bound formset's errors is a list of one dict per row, true even when every dict is empty
            has_errors=form.is_bound and (form.total_error_count() > 0 if isinstance(form, BaseFormSet) else bool(form.errors)),
            stored_files={
                key.split("-", 1)[1]: entry for key, entry in self.storage.stored_files(self.steps.current).items()
            },
            stepper=[
                {
                    "name": name,
                    "title": self.procedure.step(name).title,
                    "number": n,
                    "current": name == self.steps.current,
                    "done": self.storage.is_validated(name),
                    "reachable": self.reachable(name),
                }
                for n, name in enumerate(steps, start=1)
            ],
            active_tab="pratiche",
        )
        return context

    # helpers ---------------------------------------------------------------------------

    @property
    def url(self):
        return reverse("istanze:compile", kwargs={"public_id": self.istanza.public_id})

    def cleaned_step(self, step) -> dict | None:
        """Cleaned data of an earlier valid step, for conditions and dependent fields."""
        if not self.storage.is_validated(step) or step not in self.form_list:
            return None
        form = self.stored_form(step)
        return form.cleaned_data if form.is_bound and form.is_valid() else None

    def certified(self, key: str, load, retry_after: int = 600):
        """Data a public registry certified for this draft (ANPR's family, INPS's ISEE): read once with `load()` and
        kept with the draft, so every step and every render sees the same values. `load()` returns a JSON-able dict
        with a "status"; one other than "ok" or "not_found" (the registry did not answer) is asked again after
        `retry_after` seconds, so a registry that is down costs the person one wait, not one per page."""
        import time

        store = self.storage.data.setdefault("certified", {})
        kept = store.get(key)
        stale = kept is not None and kept.get("status") not in ("ok", "not_found") and \
            time.time() - kept.get("at", 0) > retry_after
        if kept is None or stale:
            kept = {**load(), "at": int(time.time())}
            store[key] = kept
            self.storage.persist()
        return kept

    def reachable(self, step) -> bool:
        steps = list(self.get_form_list())
        return step in steps and all(self.storage.is_validated(s) for s in steps[: steps.index(step)])

    def first_open_step(self):
        steps = list(self.get_form_list())
        return next((s for s in steps if not self.storage.is_validated(s)), steps[-1])

    def stored_form(self, step):
        data = self.storage.get_step_data(step)
        if data is None:
            return self.get_form(step)
        return self.get_form(step, data=data, files=self.storage.get_step_files(step))

    def merged_files(self, step):
        """Files kept from an earlier visit, replaced by any uploaded now."""
        files = self.storage.get_step_files(step) or {}
        prefix = f"{step}-"
        files.update({k: v for k, v in self.request.FILES.items() if k.startswith(prefix)})
        return files

    def keep(self, step, form, valid: bool):
        """Store what was posted for this step, valid or not, so nothing typed is lost."""
        prefix = f"{step}-"
        raw = {k: v for k, v in self.request.POST.lists() if k.startswith(prefix)}
        if self.request.POST.get("azione") == "aggiungi" and isinstance(form, BaseFormSet):
            total = f"{prefix}TOTAL_FORMS"
            raw[total] = [str(int(raw.get(total, ["0"])[0] or 0) + 1)]
        self.storage.set_step_data(step, raw)
        errors = set(form.errors) if not valid and not isinstance(form, BaseFormSet) else set()
        good_files = {
            k: v for k, v in self.request.FILES.items() if k.startswith(prefix) and (valid or k[len(prefix):] not in errors)
        }
        self.storage.set_step_files(step, good_files)
        self.storage.mark(step, valid and self.request.POST.get("azione") not in ("aggiungi", "aggiorna"))


_views: dict[int, object] = {}


def wizard_view_for(procedure):
    key = id(procedure)
    if key not in _views:
        _views[key] = ProcedureWizard.as_view(
            form_list=[(step.name, step.form) for step in procedure.steps],
            condition_dict={step.name: step.condition for step in procedure.steps if step.condition},
            procedure=procedure,
        )
    return _views[key]
