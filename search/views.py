from django.shortcuts import render

from .selectors import site_search


def search(request):
    context = site_search(
        request.GET.get("q", ""), group_key=request.GET.get("tipo", ""), page_number=request.GET.get("page", 1)
    )
    return render(request, "search/search.html", context)
