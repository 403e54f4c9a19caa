"""Fixtures shared by the meal tests: a family with two children at two schools, on one account."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

import pytest

from services.meals.actions import wallet_get_or_create
from services.meals.models import Child, FeeBand
from services.schools.models import Ambito, School


@pytest.fixture
def family(db):
    from services.accounts.models import Office

    office = Office.objects.get_or_create(slug="municipio-test", defaults={"name": "Municipio di prova"})[0]
    ambito = Ambito.objects.get_or_create(name="Ambito di prova", defaults={"office": office})[0]
    school = School.objects.get_or_create(code="ANEE99999Z", defaults={"name": "Primaria di prova", "order": "primaria", "ambito": ambito})[0]
    other_school = School.objects.get_or_create(code="ANEE99998Z", defaults={"name": "Altra primaria", "order": "primaria", "ambito": ambito})[0]
    band = FeeBand.objects.create(code="B", label="Fascia B", isee_max=Decimal("20000"), price=Decimal("4.20"), valid_from=date(2025, 9, 1))
    parent = get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N")
    wallet = wallet_get_or_create(holder=parent)
    kids = [Child.objects.create(wallet=wallet, first_name=name, last_name="Rossi", fiscal_code=cf, school=s, fee_band=band,
                                 service_from=date(2025, 9, 15))
            for name, cf, s in (("Giulio", "RSSGLI19E10A271K", school), ("Anna", "RSSNNA23B43A271Y", other_school))]
    return parent, wallet, kids
