"""PDND, the national interoperability platform (services/pdnd/), and the ANPR e-services read through it.

Production values come from the Comune's PDND back office: the client (its id and the kid of the public key uploaded
there; the private key in PDND_KEY_FILE), and for each e-service its address, its audience and the purpose the
Comune registered for it. Empty PDND_CLIENT_ID = no PDND: the wizards ask the parent to type what ANPR would give.
"""

from config.env import env

PDND_CLIENT_ID = env("PDND_CLIENT_ID", default="")
PDND_KEY_FILE = env("PDND_KEY_FILE", default="")
PDND_KID = env("PDND_KID", default="")
PDND_TOKEN_URL = env("PDND_TOKEN_URL", default="https://auth.interop.pagopa.it/token.oauth2")
PDND_ASSERTION_AUDIENCE = env("PDND_ASSERTION_AUDIENCE", default="auth.interop.pagopa.it/client-assertion")
PDND_TIMEOUT = env.float("PDND_TIMEOUT", default=4.0)
PDND_TRANSPORT = env("PDND_TRANSPORT", default="")  # "wsgi": the sandbox in process (tests)
PDND_USER_LOCATION = env("PDND_USER_LOCATION", default="sportello-portale")
# ANPR's consultation e-services (C030: codice fiscale → ANPR id; C020: residence; C021: family), one purpose each.
PDND_ANPR_URL = env("PDND_ANPR_URL", default="")
PDND_ANPR_AUDIENCE = env("PDND_ANPR_AUDIENCE", default="")
PDND_ANPR_PURPOSES = {
    "C030": env("PDND_ANPR_PURPOSE_C030", default=""),
    "C020": env("PDND_ANPR_PURPOSE_C020", default=""),
    "C021": env("PDND_ANPR_PURPOSE_C021", default=""),
}
PDND_SANDBOX_ENABLED = False  # the local PDND and ANPR stand-ins; only dev and test settings turn them on
# The Comune's ISTAT code: a residence there is "resident in the Comune" (fee bands, priorities). The demo's is fictional.
COMUNE_ISTAT_CODE = env("COMUNE_ISTAT_CODE", default="099999")
# INPS's ConsultazioneISEE (SOAP through PDND): the attestation valid for a benefit (MENSA: A2.12).
PDND_INPS_URL = env("PDND_INPS_URL", default="")
PDND_INPS_AUDIENCE = env("PDND_INPS_AUDIENCE", default="")
PDND_INPS_PURPOSE = env("PDND_INPS_PURPOSE", default="")
