"""The people of the demo identity provider (fictional; valid codici fiscali). Each label says what the
demo holds for that person (load_demo_content, the App IO sandbox), so that what a tester is promised is there."""

DEMO_IDENTITIES = {
    "maria.rossi": {
        "label": "Maria Rossi — genitore: una figlia alla primaria con il conto mensa, due avvisi da pagare",
        "fiscalNumber": "TINIT-RSSMRA85C52H501N", "name": "Maria", "familyName": "Rossi",
        "dateOfBirth": "1985-03-12", "email": "maria.rossi@example.it", "mobilePhone": "+393331234567",
    },
    "luca.bianchi": {
        "label": "Luca Bianchi — genitore senza pratiche: prova una domanda nuova",
        "fiscalNumber": "TINIT-BNCLCU82S02A271A", "name": "Luca", "familyName": "Bianchi",
        "dateOfBirth": "1982-11-02", "email": "luca.bianchi@example.it", "mobilePhone": "+393337654321",
    },
    "giulia.esposito": {
        "label": "Giulia Esposito — dirigente scolastica, Utente Master della Primaria Dante Alighieri (Area scuola)",
        "fiscalNumber": "TINIT-SPSGLI75L65F839U", "name": "Giulia", "familyName": "Esposito",
        "dateOfBirth": "1975-07-25", "email": "giulia.esposito@example.it", "mobilePhone": "+393471112223",
    },
    "paolo.ferrari": {
        "label": "Paolo Ferrari — sindaco, legale rappresentante del Comune; ha bloccato i messaggi del Comune nell'App IO",
        "fiscalNumber": "TINIT-FRRPLA68A14L219Z", "name": "Paolo", "familyName": "Ferrari",
        "dateOfBirth": "1968-01-14", "email": "sindaco@comune.valfiorita.example.it", "mobilePhone": "+393489998887",
    },
    "anna.ricci": {
        "label": "Anna Ricci — insegnante della Primaria Dante Alighieri: Area scuola, presenze della mensa",
        "fiscalNumber": "TINIT-RCCNNA88D54A271E", "name": "Anna", "familyName": "Ricci",
        "dateOfBirth": "1988-04-14", "email": "anna.ricci@example.it", "mobilePhone": "+393405556667",
    },
    "elena.conti": {
        "label": "Elena Conti — dirigente della Primaria Giovanni Pascoli: la sua richiesta di attivazione attende l'Ufficio Scuola",
        "fiscalNumber": "TINIT-CNTLNE72E50H501R", "name": "Elena", "familyName": "Conti",
        "dateOfBirth": "1972-05-10", "email": "elena.conti@example.it", "mobilePhone": "+393398887776",
    },
    "sara.russo": {
        "label": "Sara Russo — genitore senza e-mail e senza App IO",
        "fiscalNumber": "TINIT-RSSSRA90P70F205P", "name": "Sara", "familyName": "Russo",
        "dateOfBirth": "1990-09-30", "email": "", "mobilePhone": "",
    },
}

# EU citizens as Italy's eIDAS node would present them (fictional): a person identifier and the eIDAS attributes, no
# codice fiscale. The demo IdP offers them when a request asks for attribute set 99 or 100.
EIDAS_DEMO_IDENTITIES = {
    "lena.schmidt": {
        "label": "Lena Schmidt — cittadina tedesca residente a Valfiorita: nessun codice fiscale italiano",
        "spidCode": "DE/IT/7c1e0b9a44d2f6e3a5b8", "name": "Lena", "familyName": "Schmidt",
        "dateOfBirth": "1987-06-21", "placeOfBirth": "Hamburg", "gender": "F", "address": "Via dei Tigli 4 Valfiorita",
    },
    "pierre.martin": {
        "label": "Pierre Martin — cittadino francese, genitore di un alunno della primaria",
        "spidCode": "FR/IT/0f5d3c2b1a998877e6d4", "name": "Pierre", "familyName": "Martin",
        "dateOfBirth": "1980-02-09", "placeOfBirth": "Lyon", "gender": "M", "address": "Corso Italia 18 Valfiorita",
    },
}
