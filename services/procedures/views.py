from django.http import JsonResponse
from django.views.decorators.cache import cache_control

from . import comuni


@cache_control(public=True, max_age=86400)
def comuni_json(request, province):
    """Public list (ISTAT) of the comuni of a province, for the select that depends on the province."""
    return JsonResponse({"comuni": comuni.comuni_of(province.upper()[:2])})
