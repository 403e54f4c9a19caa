from services.core import rating as model_rating


def feedback_answers(request):
    """The two follow-up questions of the page rating widget, with the model's answers."""
    return {"feedback_groups": model_rating.GROUPS}
