"""Telephone numbers, one rule for the whole project: parsed with phonenumbers (Italy by default), kept in
E.164 (+393331234567)."""

import phonenumbers


class PhoneError(ValueError):
    """The message is for the user, in Italian."""


def normalise_phone(value: str, *, mobile: bool = False) -> str:
    """"333 123 4567", "+39 333-1234567", "0039…" → "+393331234567"; "" stays "". Raises PhoneError."""
    text = (value or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    what = "di cellulare" if mobile else "di telefono"
    try:
        number = phonenumbers.parse(text, "IT")
    except phonenumbers.NumberParseException as error:
        raise PhoneError(f"Scrivi un numero {what} valido, ad esempio 333 123 4567 o +39 333 123 4567.") from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"Scrivi un numero {what} valido: controlla le cifre e il prefisso.")
    if mobile and phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                           phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise PhoneError("Per gli SMS serve un numero di cellulare.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
