"""The rating widget of the Designers Italia "Modello Comuni" (pa-standards §5): its two follow-up
questions and their answers are the model's own, word for word. One home for both ratings, the
page rating of every page (home.PageFeedback) and the service rating at the end of an online
procedure (istanze.ProcedureRating)."""

from django.utils.translation import gettext_lazy as _

POSITIVE_QUESTION = _("Quali sono stati gli aspetti che hai preferito?")
NEGATIVE_QUESTION = _("Dove hai incontrato le maggiori difficoltà?")

POSITIVE_ANSWERS = [
    ("chiare", _("Le indicazioni erano chiare")),
    ("complete", _("Le indicazioni erano complete")),
    ("procedura-chiara", _("Capivo sempre che stavo procedendo correttamente")),
    ("nessun-problema", _("Non ho avuto problemi tecnici")),
    ("altro-positivo", _("Altro")),
]
NEGATIVE_ANSWERS = [
    ("non-chiare", _("A volte le indicazioni non erano chiare")),
    ("incomplete", _("A volte le indicazioni non erano complete")),
    ("incerto", _("A volte non capivo se stavo procedendo correttamente")),
    ("problemi-tecnici", _("Ho avuto problemi tecnici")),
    ("altro-negativo", _("Altro")),
]
ANSWERS = POSITIVE_ANSWERS + NEGATIVE_ANSWERS

# What the widget shows after the stars: the question for 4-5 stars, or for 1-3 (the hint is for
# browsers without JavaScript, which see both, and goes outside the question element).
GROUPS = [
    {"kind": "positive", "question": POSITIVE_QUESTION, "hint": _("Rispondi qui se hai dato 4 o 5 stelle."), "answers": POSITIVE_ANSWERS},
    {"kind": "negative", "question": NEGATIVE_QUESTION, "hint": _("Rispondi qui se hai dato da 1 a 3 stelle."), "answers": NEGATIVE_ANSWERS},
]


def answers_for(rating: int) -> dict:
    """The answers a rating may carry: positive for 4-5 stars, negative for 1-3."""
    return dict(POSITIVE_ANSWERS if rating >= 4 else NEGATIVE_ANSWERS)


def label(answer: str) -> str:
    return str(dict(ANSWERS).get(answer, answer))


# Answers of earlier versions that the model does not have, with the words they stood for: a data
# migration files them under "Altro" and keeps the words at the start of the comment.
RETIRED = {
    "trovato": ("altro-positivo", "Ho capito subito dove trovare le informazioni"),
    "aggiornate": ("altro-positivo", "Le informazioni erano aggiornate"),
    "veloce": ("altro-positivo", "Ho completato la domanda in poco tempo"),
    "non-trovato": ("altro-negativo", "Non ho capito dove trovare le informazioni"),
}
RENAMED = {"facile": "procedura-chiara"}  # "Ho capito subito come procedere": the model's words for it
