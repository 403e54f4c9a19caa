from django.conf import settings


def session_timeouts(request):
    """Idle timeout and warning, in seconds, for the session warning script."""
    return {"idle_timeout": settings.CITIZEN_IDLE_TIMEOUT, "idle_warning": settings.CITIZEN_IDLE_WARNING}


def login_label(request):
    """How the session signed in, for the personal area's header; computed only where a template uses it."""
    from .selectors import session_login_label

    return {"login_label": lambda: session_login_label(request)}
