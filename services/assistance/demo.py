"""The URP desk's demo: the canned replies it keeps and, with the demo users, a dozen requests in every state
(services/core/demo.py)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from services.accounts.models import Office
from services.catalogue.models import Service

from . import actions
from .models import AssistanceRequest, CannedReply, ThreadEntry

# URP desk: canned replies the URP keeps, and a dozen requests in every state (days ago, signed-in Maria or an
# anonymous address, category, service, question, what happened: state, reply, office it ended with).
ASSISTANCE_CANNED = [
    ("Domanda OEPAC: quando si presenta", "La domanda OEPAC si presenta solo online, con SPID o CIE, nel periodo indicato nella "
     "scheda del servizio. Se l'alunno resta nella stessa scuola non serve ripresentarla: basta comunicare le variazioni."),
    ("Ricarica del conto mensa", "Il conto mensa si ricarica dall'area personale o dalla scheda del servizio con pagoPA: la "
     "ricarica è visibile sul conto appena arriva la ricevuta, di solito in pochi minuti."),
    ("Richiesta di documenti mancanti", "Per rispondere abbiamo bisogno del numero della pratica o del codice fiscale "
     "dell'alunno: può indicarcelo rispondendo a questo messaggio?"),
]
ASSISTANCE_REQUESTS = [
    (1, None, ("Paola", "Neri", "paola.neri@example.it"), "educazione-e-formazione", "iscrizione-oepac",
     "Mio figlio cambia plesso ma resta nello stesso istituto: devo rifare la domanda OEPAC?", "nuova", "", "urp"),
    (1, "maria", None, "tributi-finanze-e-contravvenzioni", "ricarica-conto-mensa",
     "Ho ricaricato il conto mensa ieri sera ma il saldo non è cambiato. Cosa devo fare?", "nuova", "", "urp"),
    (2, None, ("Giorgio", "Fabbri", "giorgio.fabbri@example.it"), "urp", "",
     "Vorrei sapere gli orari di apertura dello sportello dell'Ufficio Scuola nel periodo natalizio.", "nuova", "", "urp"),
    (4, None, ("Marta", "Greco", "marta.greco@example.it"), "mobilita-e-trasporti", "iscrizione-trasporto-scolastico",
     "La fermata dello scuolabus più vicina a casa è a due chilometri: si può chiedere una fermata nuova?", "assegnata", "", "urp"),
    (5, None, ("Luigi", "Marino", "luigi.marino@example.it"), "educazione-e-formazione", "iscrizione-refezione-scolastica",
     "Mia figlia è celiaca: il certificato va consegnato ogni anno?", "assegnata", "", "ufficio-scuola"),
    (6, "maria", None, "educazione-e-formazione", "disdetta-pasto",
     "Se disdico il pasto dopo le nove, viene comunque addebitato?", "assegnata", "", "urp"),
    (7, None, ("Rita", "Colombo", "rita.colombo@example.it"), "educazione-e-formazione", "iscrizione-oepac",
     "Ho inviato la domanda OEPAC ma non ho ricevuto la ricevuta per e-mail.", "in_attesa",
     "Per rispondere abbiamo bisogno del numero della pratica o del codice fiscale dell'alunno: può indicarcelo rispondendo a questo messaggio?", "urp"),
    (9, None, ("Franco", "Riva", "franco.riva@example.it"), "tributi-finanze-e-contravvenzioni", "rimborso-credito-mensa",
     "Mio figlio ha finito la primaria e ha ancora credito sul conto mensa: come lo recupero?", "in_attesa",
     "Il credito resta sul conto se un altro figlio usa la mensa; altrimenti si chiede il rimborso con il modulo della scheda. Ha altri figli iscritti?", "urp"),
    (8, "maria", None, "educazione-e-formazione", "iscrizione-refezione-scolastica",
     "Quali sono le fasce ISEE della mensa per il prossimo anno?", "risolta",
     "Le fasce ISEE e le tariffe sono nella scheda della refezione scolastica, alla voce Costi: vanno da € 1,50 a € 4,80 a pasto.", "urp"),
    (9, None, ("Sofia", "Bruno", "sofia.bruno@example.it"), "mobilita-e-trasporti", "iscrizione-trasporto-scolastico",
     "Il trasporto si paga in due rate? Quando scade la seconda?", "risolta",
     "Sì: la quota si può pagare in una o due rate; la scadenza della seconda è indicata nell'avviso pagoPA.", "urp"),
    (30, None, ("Davide", "Ricci", "davide.ricci@example.it"), "urp", "",
     "Dove trovo il regolamento dei servizi scolastici?", "chiusa",
     "Il regolamento è in Amministrazione, Documenti e dati, tra le condizioni e i regolamenti.", "urp"),
    (35, None, ("Elisa", "Gallo", "elisa.gallo@example.it"), "educazione-e-formazione", "disdetta-pasto",
     "Posso disdire i pasti per tutta una settimana in una volta?", "chiusa",
     "Sì, dalla pagina Conto mensa può disdire i singoli giorni della settimana, ognuno entro le 9:00 del giorno stesso.", "urp"),
]


def load_canned(context) -> int:
    made = 0
    for title, body in ASSISTANCE_CANNED:
        made += CannedReply.objects.get_or_create(title=title, defaults={"body": body})[1]
    return made


def load_requests(context) -> int:
    """A dozen requests to the URP in every state, some from Maria Rossi (in her personal area), over the last weeks."""
    if AssistanceRequest.objects.exists():
        return 0
    User = get_user_model()
    maria, urp = User.objects.get(username="RSSMRA85C52H501N"), User.objects.get(username="urp")
    labels = dict(Service.objects.values_list("category_slug", "category")) | {"urp": "Relazioni con il pubblico"}
    now = timezone.now()
    for days, who, person, category, service, message, state, reply, office in ASSISTANCE_REQUESTS:
        sent = now - datetime.timedelta(days=days, hours=2)
        first, last, email = (maria.first_name, maria.last_name, maria.email) if who == "maria" else person
        draft = actions.request_draft(data={
            "first_name": first, "last_name": last, "email": email, "category_slug": category,
            "category_label": labels.get(category, category), "service": Service.objects.filter(slug=service).first(),
            "istanza": None, "message": message}, requester=maria if who == "maria" else None)
        AssistanceRequest.objects.filter(pk=draft.pk).update(created_at=sent)
        actions.request_submit(request=draft, now=sent)
        if office != "urp":
            actions.request_forward(request=draft, office=Office.objects.get(slug=office), by=urp,
                                    note="Riguarda la mensa: la segue l'Ufficio Scuola.")
            actions.request_take(request=draft, by=User.objects.get(username="operatore.scuola"))
        elif state != "nuova":
            actions.request_take(request=draft, by=urp)
        # the desk's events happened the morning after the request arrived
        ThreadEntry.objects.filter(request=draft, created_at__gt=sent).update(created_at=sent + datetime.timedelta(hours=18))
        if reply:
            actions.reply_send(request=draft, body=reply, by=urp, resolve=state in ("risolta", "chiusa"),
                               now=sent + datetime.timedelta(days=1))
        if state == "chiusa":
            actions.rating_set(request=draft, rating=5 if days % 2 else 4)
    actions.requests_close(now=now)
    return len(ASSISTANCE_REQUESTS)


def load_protocol_profile(context) -> int:
    """The demo Comune registers its URP's requests and replies in the protocol register (title I, class 5)."""
    from services.protocol.models import Profile

    _, created = Profile.objects.get_or_create(scope="urp", defaults={"classification": "1.5", "office": "URP"})
    return int(created)
