"""The App IO sandbox alone, as the messages benchmark serves it: a partner's server of its own, not the site. Its API
views need no middleware, so it runs only allauth's (which refuses to start without it, and keeps out of the way of
a URLconf without its views), and its URLconf holds nothing else (bench/io_sandbox_urls.py): the
benchmark's two cores then measure Sportello sending, not the stand-in running the site's whole request cycle for
each of the 20,000 calls (a profile lookup and a message per family) that a real App IO answers on its own machines."""

from .bench_messages import *  # noqa: F401,F403

MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
ROOT_URLCONF = "bench.io_sandbox_urls"
