"""The schools' portal demo (seed 000), with the demo users: two schools enabled with their Master and a generic
user (services/core/demo.py)."""

from django.contrib.auth import get_user_model

from . import actions
from .models import School, SchoolRole

# The schools' portal (seed 000): schools enabled with their Master and a generic user, by codice fiscale; a role whose
# person has no demo identity waits for a first login. (school code, codice fiscale, kind, functions)
SCHOOL_ROLES = [
    ("ANEE81001D", "SPSGLI75L65F839U", "master", []),  # Giulia Esposito, in the demo identity provider
    ("ANEE81001D", "RCCNNA88D54A271E", "generic", ["meals"]),  # Anna Ricci (demo IdP), a teacher who records the canteen's attendance
    ("ANMM81001C", "VRDLCU70A01H501E", "master", []),
    ("ANMM81001C", "NRIMRC80A01H501O", "generic", ["oepac", "meals"]),
]


def load_roles(context) -> int:
    made = 0
    users = {u.fiscal_code: u for u in get_user_model().objects.filter(fiscal_code__in=[r[1] for r in SCHOOL_ROLES])}
    for code, fiscal_code, kind, functions in SCHOOL_ROLES:
        school = School.objects.get(code=code)
        if SchoolRole.objects.filter(school=school, fiscal_code=fiscal_code).exists():
            continue
        if kind == "master":
            actions.master_activate(school=school, fiscal_code=fiscal_code, user=users.get(fiscal_code))
        else:
            master = SchoolRole.objects.get(school=school, kind="master", state="active")
            actions.role_add(master=master, fiscal_code=fiscal_code, functions=functions, by=None)
        made += 1
    return made
