"""Maggioli Sicraweb's protocol web services (ProWSApi, SOAP): each file is sent with `insertDocumento` and gets an
id, `registraProtocollo` registers the document with its correspondent and those ids and answers number and year,
and `infoProtocollo` reads the registration back for its date. The calling application's reference
(`riferimentoEsterno`) is the registration's key, so that a second call for the same event finds the first.
Configured with PROTOCOL_URL, PROTOCOL_ENTE, PROTOCOL_USERNAME, PROTOCOL_PASSWORD; the demo's is the sandbox at
/protocollo-sandbox/sicraweb/."""

from pathlib import Path

from django.conf import settings

from services.protocol import soap
from services.protocol.port import INCOMPLETE, Adapter, Document, ProtocolRefused, Registered

from ..docarea import parse_date

WSDL = Path(__file__).with_name("prowsapi.wsdl")
BINDING = "{http://ws.sicraweb.it/prowsapi}ProWSApiBinding"


def _ok(result, operation: str):
    outcome = getattr(result, "esito", None)
    if outcome is None or not getattr(outcome, "codice", None):
        raise ProtocolRefused(f"Sicraweb ({operation}) ha risposto senza esito.")
    if str(outcome.codice).upper() != "OK":
        reason = (outcome.messaggio or "").strip()[:300] or "nessun motivo indicato"
        raise ProtocolRefused(f"Sicraweb ({operation}) ha rifiutato ({outcome.codice}): {reason}")
    return result


class SicrawebAdapter(Adapter):
    code = "sicraweb"
    label = "Maggioli Sicraweb (ProWSApi, SOAP)"

    def _credentials(self) -> dict:
        return {"utente": settings.PROTOCOL_USERNAME, "password": settings.PROTOCOL_PASSWORD,
                "codiceEnte": settings.PROTOCOL_ENTE}

    def register(self, document: Document, *, key: str) -> Registered:
        if document.main is None:
            raise ProtocolRefused("Manca il documento principale da protocollare.")
        if not document.aoo:
            raise ProtocolRefused(INCOMPLETE)
        service = soap.service(WSDL, BINDING, settings.PROTOCOL_URL)
        ids = []
        for attachment in (document.main, *document.attachments):
            with soap.calling("sicraweb", "insertDocumento"):
                inserted = service.insertDocumento(credenziali=self._credentials(), nomeFile=attachment.name,
                                                   mimeType=attachment.mime_type, contenuto=attachment.content)
            ids.append(_ok(inserted, "insertDocumento").idDocumento)
        who = document.correspondent
        with soap.calling("sicraweb", "registraProtocollo"):
            result = _ok(service.registraProtocollo(
                credenziali=self._credentials(), verso="A" if document.direction == "in" else "P",
                oggetto=document.subject[:1000], codiceAOO=document.aoo, codiceRegistro=document.register or None,
                classifica=document.classification or None, fascicolo=document.file_reference or None,
                ufficio=document.office or None, riferimentoEsterno=key,
                soggetto=[{"denominazione": who.name, "nome": who.given_name or None,
                           "cognome": who.family_name or None, "codiceFiscale": who.fiscal_code or None,
                           "email": who.email or None, "indirizzo": who.address or None}],
                idDocumentoPrincipale=ids[0], idAllegato=ids[1:]), "registraProtocollo")
        number, year = str(result.numero or "").strip(), str(result.anno or "").strip()
        if not number.isdigit() or not year.isdigit():
            raise ProtocolRefused(f"Sicraweb ha risposto con un numero non valido: {number[:30]!r}/{year[:6]!r}")
        with soap.calling("sicraweb", "infoProtocollo"):
            info = _ok(service.infoProtocollo(credenziali=self._credentials(), numero=number, anno=year),
                       "infoProtocollo")
        if str(info.riferimentoEsterno or key) != key:
            raise ProtocolRefused(f"Sicraweb: il protocollo {number}/{year} riletto appartiene a un altro documento.")
        return Registered(number=number.zfill(7), on=parse_date(info.data), register=document.register,
                          aoo=document.aoo, ipa=document.ipa, raw={"numero": number, "anno": year, "data": str(info.data)})
