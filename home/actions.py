"""Writes of the public site."""

from wagtail.models import Page

from .models import InefficiencyReport, PageFeedback


def feedback_create(*, page: Page, rating: int, answer: str, comment: str = "") -> PageFeedback:
    return PageFeedback.objects.create(page=page, rating=rating, answer=answer, comment=comment.strip())


def problem_report_create(*, category: str, description: str, page_url: str = "", email: str = "") -> InefficiencyReport:
    return InefficiencyReport.objects.create(category=category, description=description, page_url=page_url, email=email)
