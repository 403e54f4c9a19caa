from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control


def private_no_store(view):
    """Mark a personal page `Cache-Control: private, no-store`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
