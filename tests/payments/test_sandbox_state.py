"""The pagoPA sandbox under concurrent citizens: one key per cart and position, so nobody's cart or payment overwrites
another's (the stack's nodes and bench/capacity.py call it from many threads and processes at once)."""

import json
import threading

from django.test import RequestFactory

import pytest

from services.payments import sandbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    sandbox.reset()


def _create_cart(results, n):
    body = {"paymentNotices": [{"noticeNumber": f"3{n:017d}", "fiscalCode": "80012340420", "amount": 1000 + n}],
            "returnUrls": {"returnOkUrl": "/ok", "returnCancelUrl": "/no", "returnErrorUrl": "/err"}}
    request = RequestFactory().post("/pagopa-sandbox/checkout/ec/v1/carts", data=json.dumps(body),
                                    content_type="application/json", HTTP_OCP_APIM_SUBSCRIPTION_KEY="sandbox-key")
    response = sandbox.carts(request)
    results[n] = response["Location"].rstrip("/").rsplit("/", 1)[1]


def test_carts_made_at_the_same_time_are_all_kept(settings):
    settings.PAGOPA_SUBSCRIPTION_KEY = "sandbox-key"
    results = {}
    threads = [threading.Thread(target=_create_cart, args=(results, n)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results.values())) == 24
    for n, cart_id in results.items():
        page = sandbox.checkout_page(RequestFactory().get("/"), cart_id)
        assert page.status_code == 200 and f"{(1000 + n) / 100:.2f}".replace(".", ",") in page.content.decode()


def test_a_reset_forgets_positions_carts_and_receipts(settings):
    settings.PAGOPA_SUBSCRIPTION_KEY = "sandbox-key"
    results = {}
    _create_cart(results, 1)
    sandbox.receipt_add({"fiscalCode": "80012340420", "creditorReferenceId": "1", "receiptId": "R"})
    sandbox.reset()
    with pytest.raises(Exception) as gone:
        sandbox.checkout_page(RequestFactory().get("/"), results[1])
    assert gone.typename == "Http404"
    assert sandbox._receipts("80012340420") == []
