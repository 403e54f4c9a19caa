"""Maps SPID/CIE attributes to the citizen, matched by an attested codice fiscale.

A login signs into the account whose codice fiscale an identity provider proved before (or that the Comune
registered); never into one whose codice fiscale was only typed at the local sign-up, whose password belongs to
whoever signed up. Such a declared twin is offered for linking once the person proves both sides (accounts/linking.py)."""

import contextlib
import datetime
import logging

from djangosaml2.backends import Saml2Backend

from services.accounts.actions import attested_account, attested_account_save
from services.accounts.models import LOGIN_MATCHES, FiscalCodeSource, User
from services.core import fiscal_code

logger = logging.getLogger(__name__)
METHOD_SESSION_KEY = "spid_method"  # the same key as views.METHOD_SESSION_KEY: which button the person pressed


def login_method(request) -> str:
    saml_session = getattr(request, "saml_session", None) or {}
    method = saml_session.get(METHOD_SESSION_KEY, "spid")
    return method if method in (FiscalCodeSource.SPID, FiscalCodeSource.CIE, FiscalCodeSource.CNS) else FiscalCodeSource.SPID


class SpidBackend(Saml2Backend):
    def clean_attributes(self, attributes: dict, idp_entityid: str, **kwargs) -> dict:
        attributes = dict(attributes)
        raw = (attributes.get("fiscalNumber") or [""])[0]
        code = fiscal_code.normalize(raw)
        if not fiscal_code.is_valid(code):
            logger.warning("SPID login refused: invalid fiscalNumber from %s", idp_entityid)
            attributes["fiscalNumber"] = []
        else:
            attributes["fiscalNumber"] = [code]
        return attributes

    def is_authorized(self, attributes, attribute_mapping, idp_entityid, assertion_info, **kwargs) -> bool:
        return bool(attributes.get("fiscalNumber"))

    def get_or_create_user(self, user_lookup_key, user_lookup_value, create_unknown_user, idp_entityid, attributes,
                           attribute_mapping, request):
        if not create_unknown_user and not User.objects.filter(fiscal_code=user_lookup_value,
                                                               fiscal_code_source__in=LOGIN_MATCHES).exists():
            return None, False
        return attested_account(code=user_lookup_value, method=login_method(request))

    def save_user(self, user, *args, **kwargs):
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
