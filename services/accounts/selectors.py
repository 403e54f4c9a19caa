"""Reads of the accounts app."""

from saml2.mdstore import name as entity_name

from .spid.config import load_sp_config


def identity_providers() -> list[tuple[str, str]]:
    """(entity id, display name) of every configured SPID/CIE identity provider, by name."""
    conf = load_sp_config()
    providers = []
    for entity_id in conf.metadata.identity_providers():
        label = entity_name(conf.metadata[entity_id], "it") or entity_id
        providers.append((entity_id, label))
    return sorted(providers, key=lambda p: p[1].lower())


def login_history(user, limit=10):
    return user.login_events.all()[:limit]


def attested_user(code: str):
    """The account whose codice fiscale SPID, CIE or CNS proved, if any."""
    from .models import ATTESTED, User

    return User.objects.filter(fiscal_code=code, fiscal_code_source__in=ATTESTED).first() if code else None


def trusted_user(code: str):
    """The account of this codice fiscale that an identity provider proved or the Comune registered (never a declared
    one), if any."""
    from .models import TRUSTED_FISCAL_CODE, User

    return User.objects.filter(TRUSTED_FISCAL_CODE, fiscal_code=code).first() if code else None


def office_staff(office_id):
    """The active staff of an office: who is told when a case arrives there."""
    from .models import User

    if office_id is None:
        return User.objects.none()
    return User.objects.filter(offices=office_id, is_active=True, is_staff=True)


def session_login_label(request) -> str:
    """How this session signed in, as the personal area says it: «SPID di livello 2», «CIE», «CNS», «credenziali del
    portale»; "" for a staff session without one."""
    from django.utils.translation import gettext as _

    from .spid.views import AUTH_LEVEL_SESSION_KEY, AUTH_METHOD_SESSION_KEY

    method = request.session.get(AUTH_METHOD_SESSION_KEY)
    if method is None:
        method = "local" if request.user.is_authenticated else ""
    if method == "spid":
        level = request.session.get(AUTH_LEVEL_SESSION_KEY)
        return _("SPID di livello %(level)s") % {"level": level} if level else "SPID"
    if method == "cie" and request.session.get(AUTH_LEVEL_SESSION_KEY):
        return _("Carta d'identità elettronica (CIE), livello %(level)s") % {"level": request.session[AUTH_LEVEL_SESSION_KEY]}
    return {"cie": _("Carta d'identità elettronica (CIE)"), "cns": _("Carta nazionale dei servizi (CNS)"),
            "eidas": _("identità digitale europea (eIDAS)"),
            "local": _("credenziali del portale")}.get(method, "")
