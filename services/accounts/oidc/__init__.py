"""CIE over OpenID Connect Federation: Sportello as a federation relying party (decision 0015).

keys.py holds the three key pairs (services/core/jose.py signs, verifies and decrypts), federation.py resolves and
checks trust chains, relying_party.py runs the authorization-code flow, views.py is what the browser and the federation
reach; demo_federation.py is the local trust anchor and CIE provider of the demo and the tests."""
