"""Maps SPID/CIE attributes to the citizen, matched by codice fiscale."""

import contextlib
import datetime
import logging

from djangosaml2.backends import Saml2Backend

from services.accounts import fiscal_code

logger = logging.getLogger(__name__)


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
