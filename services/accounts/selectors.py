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
