"""Procedures built in the admin (issue 33): a definition — steps of typed fields with conditions — checked before it
can be published. This package holds the rules a definition must satisfy (checker.py) and the small condition language
(conditions.py); the snippet, the versions and the wizard on the engine come next."""
