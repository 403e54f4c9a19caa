from .models.feedback import NEGATIVE_ANSWERS, POSITIVE_ANSWERS


def feedback_answers(request):
    """The fixed answers of the page rating widget, for every template that shows it."""
    return {"positive_answers": POSITIVE_ANSWERS, "negative_answers": NEGATIVE_ANSWERS}
