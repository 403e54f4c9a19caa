"""The office's receipt of an application (its actions are desk actions: desk.py)."""

from services.core.decorators import private_no_store

from . import selectors
from .receipts import receipt_filename, receipt_pdf


@private_no_store
def office_receipt(request, pk):
    from .views import pdf_response

    istanza = selectors.istanza_for_operator(request.user, pk)
    return pdf_response(receipt_pdf(istanza), receipt_filename(istanza))
