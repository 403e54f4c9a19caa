"""The FAQ provider the CMS registers: services find and link FAQ entries, and propose new ones, without
importing the CMS."""

from home.models import FaqProposal
from services.catalogue import faq


def test_the_cms_registers_its_faq(demo):
    provider = faq.provider()
    found = provider.search("mensa")
    assert found and all(entry.url.startswith("/") and "#faq-" in entry.url for entry in found)
    entry = provider.get(found[0].id)
    assert entry == found[0]
    service_entries = provider.for_service("iscrizione-oepac")
    assert service_entries and {e.service_slug for e in service_entries} == {"iscrizione-oepac"}
    assert provider.search("   ") == []


def test_a_proposal_waits_for_the_editors(demo, client):
    pk = faq.provider().propose(question="Posso pagare la mensa con il bonifico?", answer="<p>No, solo con pagoPA.</p>",
                                service_slug="ricarica-conto-mensa", proposed_by="URP")
    proposal = FaqProposal.objects.get(pk=pk)
    assert proposal.answer == "No, solo con pagoPA." and proposal.service.slug == "ricarica-conto-mensa" and proposal.faq is None
    assert "Posso pagare la mensa con il bonifico?" not in client.get("/domande-frequenti/").content.decode()
