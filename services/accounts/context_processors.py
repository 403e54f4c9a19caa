from django.conf import settings


def session_timeouts(request):
    """Idle timeout and warning, in seconds, for the session warning script."""
    return {"idle_timeout": settings.CITIZEN_IDLE_TIMEOUT, "idle_warning": settings.CITIZEN_IDLE_WARNING}
