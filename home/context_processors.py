from django.utils.translation import gettext_lazy as _

from .models.feedback import NEGATIVE_ANSWERS, POSITIVE_ANSWERS

FEEDBACK_GROUPS = [
    {"kind": "positive", "question": _("Quali sono stati gli aspetti che hai preferito?"),
     "hint": _("(se hai dato 4 o 5 stelle)"), "answers": POSITIVE_ANSWERS},
    {"kind": "negative", "question": _("Dove hai incontrato le maggiori difficoltà?"),
     "hint": _("(se hai dato da 1 a 3 stelle)"), "answers": NEGATIVE_ANSWERS},
]


def feedback_answers(request):
    """The two follow-up questions of the page rating widget, with their fixed answers."""
    return {"feedback_groups": FEEDBACK_GROUPS}
