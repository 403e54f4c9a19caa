"""The channels a person may choose for the Comune's messages, as the app that delivers them registers them (the
accounts app knows none by name): the personal area's settings show one checkbox per channel, and the choice is kept
as a set of channel codes on the account (`User.notify_channels`).

    preferences.register("pec", label="Ricevi gli avvisi via PEC", order=40, needs="pec_address",
                         needs_message="Per ricevere gli avvisi via PEC indica l'indirizzo.")"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    order: int = 100
    help: str = ""
    needs: str = ""  # the account's field that must be filled to choose it ("email", "mobile_phone")
    needs_message: str = ""  # shown next to that field when it is empty


_choices: dict[str, Choice] = {}


def register(code: str, *, label, order: int = 100, help: str = "", needs: str = "", needs_message: str = "") -> Choice:  # noqa: A002
    choice = Choice(code=code, label=label, order=order, help=help, needs=needs, needs_message=needs_message)
    _choices[code] = choice
    return choice


def unregister(code: str) -> None:
    _choices.pop(code, None)


def choices() -> list[Choice]:
    return sorted(_choices.values(), key=lambda c: (c.order, c.code))
