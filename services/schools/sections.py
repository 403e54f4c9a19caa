"""What a school sees, by function: each school service registers its section from `AppConfig.ready()` (OEPAC its
enrollments, meals the attendance), so the registry knows none of them.

    sections.register("oepac", label=_("Iscrizioni OEPAC"), url_name="oepac:school_enrollments")

The section's view takes the school's meccanographic code and checks `selectors.role_for(user, code, function)`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    function: str
    label: str
    url_name: str  # reversed with the school's code


_sections: dict[str, Section] = {}


def register(function: str, *, label, url_name: str) -> Section:
    section = Section(function, label, url_name)
    _sections[f"{function}:{url_name}"] = section
    return section


def for_role(role) -> list[Section]:
    return [s for s in _sections.values() if role.has_function(s.function)]
