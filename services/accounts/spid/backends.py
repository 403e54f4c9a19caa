"""Maps SPID/CIE attributes to the citizen, matched by an attested codice fiscale.

A login signs into the account whose codice fiscale an identity provider proved before (or that the Comune
registered); never into one whose codice fiscale was only typed at the local sign-up, whose password belongs to
whoever signed up. Such a declared twin is offered for linking once the person proves both sides (accounts/linking.py)."""

import contextlib
import datetime
import logging
import re

from django.conf import settings

from djangosaml2.backends import Saml2Backend

from services.accounts.actions import attested_account, attested_account_save, eidas_account, eidas_account_save
from services.accounts.models import LOGIN_MATCHES, FiscalCodeSource, User
from services.core import fiscal_code

logger = logging.getLogger(__name__)
METHOD_SESSION_KEY = "spid_method"  # the same key as views.METHOD_SESSION_KEY: which button the person pressed
EIDAS = "eidas"
# The eIDAS person identifier: the issuing country, the receiving country, then the country's own identifier.
EIDAS_IDENTIFIER = re.compile(r"[A-Z]{2}/[A-Z]{2}/[!-~]{1,250}")


def login_method(request) -> str:
    saml_session = getattr(request, "saml_session", None) or {}
    method = saml_session.get(METHOD_SESSION_KEY, "spid")
    return method if method in (FiscalCodeSource.SPID, FiscalCodeSource.CIE, FiscalCodeSource.CNS, EIDAS) else "spid"


class SpidBackend(Saml2Backend):
    """SPID and CIE logins are matched by the attested codice fiscale; an eIDAS login (an EU citizen through Italy's
    node, asked for with attribute set 99 or 100) by the eIDAS identifier, and never proves a codice fiscale."""

    method = "spid"

    def authenticate(self, request, session_info=None, attribute_mapping=None, create_unknown_user=True,
                     assertion_info=None, **kwargs):
        self.method = login_method(request) if request is not None else "spid"
        return super().authenticate(request, session_info=session_info, attribute_mapping=attribute_mapping,
                                    create_unknown_user=create_unknown_user, assertion_info=assertion_info, **kwargs)

    def clean_attributes(self, attributes: dict, idp_entityid: str, **kwargs) -> dict:
        attributes = dict(attributes)
        if self.method == EIDAS:
            identifier = (attributes.get("spidCode") or [""])[0].strip()
            attributes["eidasIdentifier"] = [identifier] if EIDAS_IDENTIFIER.fullmatch(identifier) else []
            attributes.pop("fiscalNumber", None)  # an eIDAS login never proves an Italian codice fiscale
            if not attributes["eidasIdentifier"]:
                logger.warning("eIDAS login refused: invalid person identifier from %s", idp_entityid)
            return attributes
        raw = (attributes.get("fiscalNumber") or [""])[0]
        code = fiscal_code.normalize(raw)
        if not fiscal_code.is_valid(code):
            logger.warning("SPID login refused: invalid fiscalNumber from %s", idp_entityid)
            attributes["fiscalNumber"] = []
        else:
            attributes["fiscalNumber"] = [code]
        return attributes

    def is_authorized(self, attributes, attribute_mapping, idp_entityid, assertion_info, **kwargs) -> bool:
        if self.method == EIDAS:  # only Italy's eIDAS node vouches for an eIDAS identifier
            return bool(settings.SPID_EIDAS_ENTITY_ID) and idp_entityid == settings.SPID_EIDAS_ENTITY_ID and bool(
                attributes.get("eidasIdentifier"))
        return bool(attributes.get("fiscalNumber"))

    def _extract_user_identifier_params(self, session_info, attributes, attribute_mapping):
        if self.method == EIDAS:
            return "eidas_identifier", attributes["eidasIdentifier"][0]
        return super()._extract_user_identifier_params(session_info, attributes, attribute_mapping)

    def get_or_create_user(self, user_lookup_key, user_lookup_value, create_unknown_user, idp_entityid, attributes,
                           attribute_mapping, request):
        if self.method == EIDAS:
            return eidas_account(user_lookup_value)
        if not create_unknown_user and not User.objects.filter(fiscal_code=user_lookup_value,
                                                               fiscal_code_source__in=LOGIN_MATCHES).exists():
            return None, False
        return attested_account(code=user_lookup_value, method=login_method(request))

    def save_user(self, user, *args, **kwargs):
        if user.eidas_identifier:
            return eidas_account_save(user)
        return attested_account_save(user)

    def _update_user(self, user, attributes: dict, attribute_mapping: dict, force_save: bool = False):
        born = (attributes.get("dateOfBirth") or [""])[0]
        if born:
            with contextlib.suppress(ValueError):
                user.date_of_birth = datetime.date.fromisoformat(born)
        # Contacts certified by the identity provider count as verified.
        if (attributes.get("email") or [""])[0]:
            user.email_verified = True
        if (attributes.get("mobilePhone") or [""])[0]:
            user.mobile_verified = True
        return super()._update_user(user, attributes, attribute_mapping, force_save=True)
