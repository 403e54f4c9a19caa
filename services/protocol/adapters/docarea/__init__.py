"""DocArea's protocol web services (SOAP): `login` gives a session token (DST), each file is sent with
`inserimento` and gets a document id, and `protocollazione` registers a Segnatura.xml naming those ids and answers
the number (lngNumPG), year and date. Configured with PROTOCOL_URL, PROTOCOL_ENTE, PROTOCOL_USERNAME,
PROTOCOL_PASSWORD; the demo's is the sandbox at /protocollo-sandbox/docarea/."""

from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from services.protocol import soap
from services.protocol.port import INCOMPLETE, Adapter, Document, ProtocolRefused, Registered

from . import segnatura

WSDL = Path(__file__).with_name("docarea.wsdl")
BINDING = "{http://tempuri.org/}DOCAREAProtoSoap"


def _ok(result, operation: str):
    number = getattr(result, "lngErrNumber", None)
    if number is None:
        raise ProtocolRefused(f"DocArea ({operation}) ha risposto senza esito.")
    if int(number) != 0:
        reason = (getattr(result, "strErrString", "") or "").strip()[:300] or "nessun motivo indicato"
        raise ProtocolRefused(f"DocArea ({operation}) ha rifiutato con errore {number}: {reason}")
    return result


def parse_date(value) -> date:
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ProtocolRefused(f"Il sistema di protocollo ha risposto con una data non valida: {text[:40]!r}")


class DocAreaAdapter(Adapter):
    code = "docarea"
    label = "DocArea (servizi web SOAP)"

    def register(self, document: Document, *, key: str) -> Registered:
        if document.main is None:
            raise ProtocolRefused("Manca il documento principale da protocollare.")
        if not document.aoo or not document.ipa:
            raise ProtocolRefused(INCOMPLETE)
        service = soap.service(WSDL, BINDING, settings.PROTOCOL_URL)
        user = settings.PROTOCOL_USERNAME
        with soap.calling("docarea", "login"):
            login = service.login(strCodEnte=settings.PROTOCOL_ENTE, strUserName=user,
                                  strPassword=settings.PROTOCOL_PASSWORD)
        token = _ok(login, "login").strDST
        ids, names = [], []
        for attachment in (document.main, *document.attachments):
            with soap.calling("docarea", "inserimento"):
                inserted = service.inserimento(strUserName=user, strDST=token, strNomeFile=attachment.name,
                                               binDocumento=attachment.content)
            ids.append(int(_ok(inserted, "inserimento").lngDocID))
            names.append(attachment.name)
        xml = segnatura.validated(segnatura.build(document, ids=ids, names=names, key=key))
        with soap.calling("docarea", "protocollazione"):
            result = _ok(service.protocollazione(strUserName=user, strDST=token, binSegnatura=xml), "protocollazione")
        number = str(result.lngNumPG or "").strip()
        return Registered(number=number.zfill(7) if number.isdigit() else number, on=parse_date(result.strDataPG),
                          register=document.register, aoo=document.aoo, ipa=document.ipa,
                          raw={"lngNumPG": number, "lngAnnoPG": str(result.lngAnnoPG or ""),
                               "strDataPG": str(result.strDataPG or ""), "lngDocID": ids[0]})
