"""Signed SP metadata with the SPID extensions (public SP, IPA code)."""

from pathlib import Path

from django.conf import settings

from saml2 import ExtensionElement, md
from saml2.extension.requested_attributes import *  # noqa: F401,F403  (registers the namespace)
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.saml import NAME_FORMAT_BASIC
from saml2.sigver import security_context
from saml2.validate import valid_instance
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .config import VAR, digest

SPID_NS = "https://spid.gov.it/saml-extensions"
# The attribute sets AgID assigns to eIDAS logins through Italy's node (indexes 99 and 100).
EIDAS_SETS = {
    "99": ("eIDAS Natural Person Minimum Attribute Set", ("spidCode", "name", "familyName", "dateOfBirth")),
    "100": ("eIDAS Natural Person Full Attribute Set",
            ("spidCode", "name", "familyName", "dateOfBirth", "placeOfBirth", "gender", "address")),
}


_WRITTEN = set()

def _contact_person():
    extensions = md.Extensions()
    for tag, text in (("IPACode", settings.SPID_IPA_CODE), ("Public", None)):
        element = ExtensionElement(tag, namespace=SPID_NS, text=text)
        extensions.extension_elements.append(element)
    return md.ContactPerson(
        contact_type="other",
        extensions=extensions,
        email_address=[md.EmailAddress(text=settings.SPID_CONTACT_EMAIL)],
        telephone_number=[md.TelephoneNumber(text=settings.SPID_CONTACT_PHONE)],
    )


def sp_metadata_xml(conf) -> str:
    """The SP's EntityDescriptor, with SPID ContactPerson, indexed ACS and a signature."""
    descriptor = entity_descriptor(conf)
    sp = descriptor.spsso_descriptor
    for index, acs in enumerate(sp.assertion_consumer_service):
        acs.index = str(index)
        acs.is_default = "true" if index == 0 else None
    sp_conf = conf.getattr("required_attributes", "sp") or [], conf.getattr("optional_attributes", "sp") or []
    for service in sp.attribute_consuming_service:
        service.index = "0"
        service.service_name = [md.ServiceName(text=settings.SPID_ORGANIZATION, lang="it")]
        # SPID wants its own attribute names, not the URIs pysaml2 converts them to.
        service.requested_attribute = [
            md.RequestedAttribute(name=name, name_format=NAME_FORMAT_BASIC, is_required=str(required).lower())
            for names, required in ((sp_conf[0], True), (sp_conf[1], False))
            for name in names
        ]
    if settings.SPID_EIDAS_ENTITY_ID:
        for index, (service_name, names) in EIDAS_SETS.items():
            sp.attribute_consuming_service.append(md.AttributeConsumingService(
                index=index, service_name=[md.ServiceName(text=service_name, lang="it")],
                requested_attribute=[md.RequestedAttribute(name=name, name_format=NAME_FORMAT_BASIC, is_required="true")
                                     for name in names]))
    descriptor.contact_person = [_contact_person()]
    descriptor.extensions = None
    valid_instance(descriptor)
    ctx = security_context(conf)
    _, signed = sign_entity_descriptor(descriptor, None, ctx, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    xml = str(signed)
    return xml.replace("<ns0:Public />", "<ns0:Public/>")


def sp_metadata_file(base_url: str) -> str:
    """Write the SP metadata for the demo IdP (dev and test only) and return its path."""
    from .config import load_sp_config

    path = VAR / f"sp-metadata-{digest(base_url)}.xml"
    if path not in _WRITTEN:  # written once per process, so a changed configuration is picked up
        _WRITTEN.add(path)
        VAR.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(sp_metadata_xml(load_sp_config()))
    return str(path)
