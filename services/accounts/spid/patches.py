"""SPID asks for an Issuer with NameQualifier; pysaml2 writes only Format. One small, explicit patch."""

from saml2.entity import Entity

_original_issuer = Entity._issuer


def _issuer_with_name_qualifier(self, entityid=None):
    issuer = _original_issuer(self, entityid)
    if issuer is not None and not issuer.name_qualifier:
        issuer.name_qualifier = issuer.text
    return issuer


def apply():
    if Entity._issuer is not _issuer_with_name_qualifier:
        Entity._issuer = _issuer_with_name_qualifier
