from django.conf import settings
from django.shortcuts import render

from .selectors import site_search


def search(request):
    context = site_search(
        request.GET.get("q", ""), group_key=request.GET.get("tipo", ""), page_number=request.GET.get("page", 1)
    )
    # The same results for every anonymous visitor: nginx may keep them briefly (home/cache.py);
    # the promotions report then counts a repeated query once per SHARED_CACHE_MAX_AGE.
    request.shared_cache_timeout = settings.SHARED_CACHE_MAX_AGE
    return render(request, "search/search.html", context)
