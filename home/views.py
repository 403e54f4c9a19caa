"""Views for the visitor forms posted from cached public pages."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .actions import feedback_create, problem_report_create
from .csrf import same_origin_form
from .forms import FeedbackForm, ProblemReportForm
from .models import ReportProblemPage


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


@require_POST
@same_origin_form
def feedback_submit(request):
    form = FeedbackForm(request.POST)
    if form.is_valid():
        feedback_create(
            page=form.cleaned_data["page"],
            rating=form.cleaned_data["rating"],
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
        )
        if _wants_json(request):
            return JsonResponse({"ok": True})
        return render(request, "home/feedback_thanks.html", {"rated_page": form.cleaned_data["page"]})
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    page = form.cleaned_data.get("page")
    return render(request, "home/feedback_form_page.html", {"form": form, "rated_page": page}, status=400)


@same_origin_form
def report_problem(request):
    page = ReportProblemPage.objects.live().first()
    form = ProblemReportForm(request.POST or None, initial={"page_url": request.GET.get("pagina", "")[:300]})
    if request.method == "POST" and form.is_valid():
        problem_report_create(**form.cleaned_data)
        return render(request, "home/report_problem_thanks.html", {"report_page": page})
    status = 400 if request.method == "POST" else 200
    return render(request, "home/report_problem_form.html", {"form": form, "report_page": page}, status=status)
