"""CIE over OpenID Connect Federation (services/accounts/oidc/, decision 0015). Read by base.py.

CIE_OIDC_PROVIDER is the CIE provider's entity id ("" = no CIE over OpenID Connect; "demo" = the demo federation that
dev and test settings serve from this process). In production: https://id.eid.gov.it with the trust anchor
https://registry.interno.gov.it, whose public keys (a JWKS file) and our trust mark (a JSON file) come from the
onboarding on the federation's portal; our keys are private JWK files in CIE_OIDC_KEYS_DIR (`manage.py cie_oidc_keys`).
"""

from config.env import env

CIE_OIDC_PROVIDER = env("CIE_OIDC_PROVIDER", default="")
CIE_OIDC_TRUST_ANCHOR = env("CIE_OIDC_TRUST_ANCHOR", default="https://registry.interno.gov.it")
CIE_OIDC_TRUST_ANCHOR_JWKS = env("CIE_OIDC_TRUST_ANCHOR_JWKS", default="")
CIE_OIDC_TRUST_MARKS = env("CIE_OIDC_TRUST_MARKS", default="")
CIE_OIDC_KEYS_DIR = env("CIE_OIDC_KEYS_DIR", default="")
CIE_OIDC_TIMEOUT = env.float("CIE_OIDC_TIMEOUT", default=5.0)
CIE_OIDC_TRANSPORT = env("CIE_OIDC_TRANSPORT", default="")  # "wsgi": the demo federation in process (tests)
CIE_OIDC_CHAIN_TTL = env.int("CIE_OIDC_CHAIN_TTL", default=3600)  # at most, a resolved trust chain is kept this long
CIE_OIDC_STATEMENT_LIFETIME = env.int("CIE_OIDC_STATEMENT_LIFETIME", default=86400)  # of our entity configuration
CIE_OIDC_DEMO_ENABLED = False  # the demo trust anchor and provider; only dev and test settings turn it on
