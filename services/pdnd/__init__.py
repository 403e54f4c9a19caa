"""PDND: the national interoperability platform's client, and the e-services Sportello consumes through it (ANPR).

Below the domains, like payments and protocol: it knows no procedure. A domain asks `anpr.family(...)` with a reason
and a reference; this app obtains the voucher, signs the ModI headers, calls, records the consultation in the access
register and answers data or one of three clear errors (not found, not authorised, unavailable)."""
