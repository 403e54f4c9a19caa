"""For a Comune whose protocol supplier has no API: the registration waits for an office clerk, who registers the
document in the protocol system by hand and types its number and date into Sportello."""

from ..port import Adapter, ManualRegistration


class ManualAdapter(Adapter):
    code = "manual"
    label = "Registrazione manuale (l'ufficio protocollo inserisce il numero)"

    def register(self, document, *, key):
        raise ManualRegistration
