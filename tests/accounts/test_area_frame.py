"""The personal area is a frame: the tabs, desk cards, messages and documents come from the apps that own them,
registered at start-up; accounts imports none of them."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from services.accounts import area


def test_every_domain_registers_its_tab_in_order(db):
    assert [key for key, _label, _url in area.tabs()] == [
        "dashboard", "pratiche", "pagamenti", "conto-mensa", "appuntamenti", "assistenza", "messaggi", "documenti", "impostazioni"]


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user("pia", fiscal_code="RSSPIA80A41H501X", first_name="Pia")


def test_a_registered_source_reaches_the_inbox_and_the_documents(citizen, client):
    now = timezone.now()

    def messages_of(user, limit):
        return [area.Message(now - timedelta(days=1), "prova", "Messaggio di prova", "Testo")] if user == citizen else []

    def documents_of(user, limit):
        return [area.Document(now, "Documento di prova", "dettaglio", "/documento/"), area.Document(None, "Senza data", "", "/x/")]

    area.register_messages(messages_of)
    area.register_documents(documents_of)
    try:
        assert [m.title for m in area.messages_for(citizen)][:1] == ["Messaggio di prova"]
        assert [d.title for d in area.documents_for(citizen)][-1] == "Senza data"  # undated papers last
        client.force_login(citizen)
        assert "Messaggio di prova" in client.get("/area-personale/messaggi/").content.decode()
        assert "Documento di prova" in client.get("/area-personale/documenti/").content.decode()
    finally:
        area._message_sources.remove(messages_of)
        area._document_sources.remove(documents_of)


def test_the_desk_shows_the_registered_cards(citizen, client):
    client.force_login(citizen)
    page = client.get("/area-personale/").content.decode()
    assert "I tuoi dati" in page and "pratiche in lavorazione" in page
    assert "no-store" in client.get("/area-personale/")["Cache-Control"]
