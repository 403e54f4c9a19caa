"""Scheduled work of the accounts app: the CNS trust store refreshed from AgID's trusted list, where the network allows."""

import logging
from pathlib import Path

from django.conf import settings

import httpx
from celery import shared_task

from services.core import observability

from .cns import TrustListError, trust_store_write

logger = logging.getLogger(__name__)


@shared_task
def refresh_cns_trust_store() -> str:
    """Download CNS_TSL_URL and rewrite CNS_TRUST_STORE from it; a list that cannot be fetched or used leaves the
    store as it is (logged, for the operator). Off unless both are set."""
    if not settings.CNS_TSL_URL or not settings.CNS_TRUST_STORE:
        return "off"
    try:
        with observability.partner_call("agid_tsl", "download") as call:
            response = httpx.get(settings.CNS_TSL_URL, timeout=60, follow_redirects=True)
            response.raise_for_status()
            call.ok()
        count = trust_store_write(response.content, Path(settings.CNS_TRUST_STORE))
    except (httpx.HTTPError, TrustListError, OSError) as error:
        logger.warning("CNS trust store not refreshed: %s", str(error)[:200])
        return "kept"
    observability.event("cns.trust_store_refreshed", authorities=count)
    return f"{count}"
