"""The Segnatura.xml DocArea's protocollazione takes: who sends to whom, the subject, the classification and file,
and the documents already sent with `inserimento` (by their ids). Built with lxml and checked against
segnatura.xsd before it leaves: a document our data makes invalid is refused here, with the schema's reason."""

from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml.builder import E

from services.protocol.port import Correspondent, Document, ProtocolRefused

SCHEMA = Path(__file__).with_name("segnatura.xsd")
APPLICATION = "Sportello"


@lru_cache(maxsize=1)
def schema():
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMA))


def _person(who: Correspondent):
    family = who.family_name or who.name.rpartition(" ")[2] or who.name
    given = who.given_name or (who.name.rpartition(" ")[0] if not who.family_name else "")
    children = [E.Nome(given), E.Cognome(family or "-")]
    if who.fiscal_code:
        children.append(E.CodiceFiscale(who.fiscal_code.upper()))
    if who.address:
        children.append(E.IndirizzoPostale(who.address))
    if who.email:
        children.append(E.IndirizzoTelematico(who.email, tipo="smtp"))
    return E.Persona(*children, id=who.fiscal_code.upper() or family)


def _administration(document: Document):
    children = [E.Denominazione(document.administration or document.ipa), E.CodiceAmministrazione(document.ipa)]
    if document.office:
        children.append(E.UnitaOrganizzativa(document.office, tipo="permanente"))
    return E.Amministrazione(*children)


def build(document: Document, *, ids: list[int], names: list[str], key: str) -> bytes:
    """`ids` and `names`: the main document first, then the attachments, as `inserimento` answered."""
    inbound = document.direction == "in"
    citizen, comune = _person(document.correspondent), _administration(document)
    identifier = [E.CodiceAmministrazione(document.ipa), E.CodiceAOO(document.aoo)]
    if document.register:
        identifier.append(E.CodiceRegistro(document.register))
    identifier += [E.NumeroRegistrazione("0"), E.DataRegistrazione("0"), E.Flusso("E" if inbound else "U")]
    header = [E.Oggetto(document.subject[:1000]), E.Identificatore(*identifier),
              E.Mittente(citizen if inbound else comune), E.Destinatario(comune if inbound else citizen)]
    if document.classification:
        header.append(E.Classifica(E.CodiceAmministrazione(document.ipa), E.CodiceAOO(document.aoo),
                                   E.Classificazione(document.classification)))
    if document.file_reference:
        number, _, year = document.file_reference.partition("/")
        header.append(E.Fascicolo(**({"numero": number.strip(), "anno": year.strip()} if year.strip().isdigit()
                                     else {"numero": document.file_reference.strip()})))
    described = [E.Documento(E.DescrizioneDocumento(document.subject[:200]), id=str(ids[0]), nome=names[0])]
    if len(ids) > 1:
        described.append(E.Allegati(*[E.Documento(id=str(i), nome=n) for i, n in zip(ids[1:], names[1:], strict=True)]))
    root = E.Segnatura(E.Intestazione(*header), E.Descrizione(*described),
                       E.ApplicativoProtocollo(E.Parametro(nome="riferimento", valore=key), nome=APPLICATION),
                       versione="2001-05-07")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def errors(xml: bytes) -> list[str]:
    """What the schema finds wrong, as short readable lines (none: valid)."""
    try:
        tree = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [f"XML non leggibile: {error}"]
    return [f"{error.path}: {error.reason}" for error in schema().iter_errors(tree)][:5]


def validated(xml: bytes) -> bytes:
    found = errors(xml)
    if found:
        raise ProtocolRefused("La segnatura non è valida secondo lo schema: " + "; ".join(found))
    return xml
