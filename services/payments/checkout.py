"""The way out to pagoPA Checkout and back, built once: the return addresses of a position, and the response that
sends the citizen to pay (or back to the payments tab with the reason, when pagoPA cannot be reached or payments are
suspended). *Paga online* and the meal account's top-up both use it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import actions, client


def return_urls(request, position) -> client.CheckoutUrls:
    base = request.build_absolute_uri(reverse("payments:returned", args=[position.public_id]))
    return client.CheckoutUrls(ok=f"{base}?esito=ok", cancel=f"{base}?esito=annullato", error=f"{base}?esito=errore")


def go(request, position):
    """To Checkout for this position; its notice stays among the payments to make whatever happens."""
    try:
        return redirect(actions.checkout_start(position=position, urls=return_urls(request, position), email=request.user.email))
    except actions.PaymentsSuspended as suspended:
        messages.error(request, str(suspended))
    except client.PagoPAError:
        messages.error(request, _("pagoPA non è raggiungibile in questo momento: l'avviso è tra i pagamenti da fare, riprova tra "
                                  "qualche minuto o pagalo in un punto abilitato."))
    return redirect("payments:tab")
