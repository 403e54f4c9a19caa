"""Canteen and school staff: the attendance sheet, the day's counts per diet, the logged diet sheet."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from services.core.clock import rome
from services.meals.actions import meal_change_set
from services.meals.charges import charge_day
from services.meals.models import Child, HealthDataRead, MealChange

DAY = date(2025, 11, 26)  # a Wednesday


@pytest.fixture
def canteen(db):
    user = get_user_model().objects.create_user("carla", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Canteen staff"))
    return user


@pytest.fixture
def kitchen_day(family):  # noqa: F811
    parent, wallet, (giulio, anna) = family
    band = giulio.fee_band
    school = giulio.school
    celiac = Child.objects.create(wallet=wallet, first_name="Bruno", last_name="Rossi", fiscal_code="RSSBRN18C12A271N", school=school,
                                  fee_band=band, service_from=date(2025, 9, 15), diet="medical", medical_diet="Senza glutine")
    no_pork = Child.objects.create(wallet=wallet, first_name="Carlo", last_name="Rossi", fiscal_code="RSSCRL18C12A271M", school=school,
                                   fee_band=band, service_from=date(2025, 9, 15), diet="no_pork")
    return school, giulio, celiac, no_pork


def test_counts_per_diet_and_csv(client, canteen, kitchen_day):
    school, giulio, celiac, no_pork = kitchen_day
    meal_change_set(child=no_pork, day=DAY, kind="plain", by=None, now=rome(2025, 11, 26, 8, 0))
    client.force_login(canteen)
    page = client.get("/admin/refezione/pasti-del-giorno/?giorno=2025-11-26").content.decode()
    assert "Dieta sanitaria" in page
    text = client.get("/admin/refezione/pasti-del-giorno/?giorno=2025-11-26&formato=csv").content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.endswith("pasti da preparare;pasti in bianco;dieta normale;dieta sanitaria;dieta senza maiale;dieta senza carne")
    # 3 children at the school: Giulio (standard), Bruno (medical), Carlo (no pork, plain today)
    assert "Primaria di prova;ANEE99999Z;3;0;0;2;1;1;1;0;0" in rows


def test_attendance_sheet_records_absences_and_plain_meals(client, canteen, kitchen_day):
    school, giulio, celiac, no_pork = kitchen_day
    parents_cancelled = Child.objects.create(wallet=giulio.wallet, first_name="Dora", last_name="Rossi", fiscal_code="RSSDRO18C52A271U",
                                             school=school, fee_band=giulio.fee_band, service_from=date(2025, 9, 15))
    meal_change_set(child=parents_cancelled, day=DAY, kind="cancelled", by=None, now=rome(2025, 11, 26, 8, 0))
    client.force_login(canteen)
    page = client.get(f"/admin/refezione/presenze/?scuola={school.pk}&giorno=2025-11-26").content.decode()
    assert "Rossi Giulio" in page and "Rossi Bruno" in page and "Senza glutine" not in page
    assert "Pasto disdetto dalla famiglia" in page and f'name="stato-{parents_cancelled.pk}"' not in page

    def sheet(day="2025-11-26", **states):
        data = {"scuola": school.pk, "giorno": day}
        data.update({f"stato-{child.pk}": state for child, state in states.values()})
        return client.post("/admin/refezione/presenze/", data)

    response = sheet(g=(giulio, "absent"), b=(celiac, "absent"), c=(no_pork, "plain"), d=(parents_cancelled, "present"))
    assert response.status_code == 302
    kinds = dict(MealChange.objects.filter(day=DAY).values_list("child_id", "kind"))
    assert kinds == {giulio.pk: "absent", celiac.pk: "absent", no_pork.pk: "plain", parents_cancelled.pk: "cancelled"}
    sheet(g=(giulio, "absent"), b=(celiac, "present"), c=(no_pork, "plain"))  # Bruno came after all
    kinds = dict(MealChange.objects.filter(day=DAY).values_list("child_id", "kind"))
    assert celiac.pk not in kinds and kinds[giulio.pk] == "absent"
    result = charge_day(DAY)
    assert result["charged"] == 3  # Bruno, Carlo (plain meals are charged), and Anna at the other school
    # once charged, the sheet no longer moves
    sheet(g=(giulio, "absent"), c=(no_pork, "absent"))
    assert MealChange.objects.get(child=no_pork, day=DAY).kind == "plain"
    page = client.get(f"/admin/refezione/presenze/?scuola={school.pk}&giorno=2025-11-26").content.decode()
    assert "Pasti già addebitati, non modificati: Carlo Rossi." in page
    # a weekend is not a school day
    sheet(day="2025-11-29", g=(giulio, "absent"))
    page = client.get(f"/admin/refezione/presenze/?scuola={school.pk}&giorno=2025-11-29").content.decode()
    assert "non è un giorno di scuola" in page and not MealChange.objects.filter(day=date(2025, 11, 29)).exists()


def test_diet_sheet_logs_each_read_and_needs_the_permission(client, canteen, kitchen_day, db):
    school, giulio, celiac, no_pork = kitchen_day
    meal_change_set(child=no_pork, day=DAY, kind="cancelled", by=None, now=rome(2025, 11, 26, 8, 0))
    client.force_login(canteen)
    page = client.get(f"/admin/refezione/diete/?scuola={school.pk}&giorno=2025-11-26").content.decode()
    assert "Senza glutine" in page and "Rossi Bruno" in page
    assert "Carlo" not in page  # cancelled today: nothing to cook
    read = HealthDataRead.objects.get()
    assert (read.child, read.user, read.purpose) == (celiac, canteen, "scheda diete 2025-11-26")
    assert client.get(f"/admin/refezione/diete/?scuola={school.pk}&giorno=2025-11-26")["Cache-Control"].count("no-store") == 1
    # the snippet editor never shows the medical diet
    edit = client.get(f"/admin/snippets/meals/child/edit/{celiac.pk}/")
    assert "Senza glutine" not in edit.content.decode()
    school_user = get_user_model().objects.create_user("bidello", password="x", is_staff=True)
    school_user.groups.add(Group.objects.get(name="School user"))
    client.force_login(school_user)
    assert client.get(f"/admin/refezione/diete/?scuola={school.pk}&giorno=2025-11-26").status_code in (302, 403)
    # schools keep their attendance in the Area scuola now, not in the canteen's admin sheet
    assert client.get(f"/admin/refezione/presenze/?scuola={school.pk}&giorno=2025-11-26").status_code in (302, 403)
    assert HealthDataRead.objects.count() == 2  # the two reads by Carla; none by the school user


def test_the_office_changes_a_diet_with_the_read_logged(client, kitchen_day, canteen):
    school, giulio, celiac, no_pork = kitchen_day
    client.force_login(canteen)  # the kitchen reads diets but does not change them
    assert client.get(f"/admin/refezione/diete/{celiac.pk}/").status_code in (302, 403)
    admin = get_user_model().objects.create_superuser("capo", password="x")
    client.force_login(admin)
    page = client.get(f"/admin/refezione/diete/{celiac.pk}/").content.decode()
    assert "Senza glutine" in page and HealthDataRead.objects.filter(purpose="modifica dieta").count() == 1
    response = client.post(f"/admin/refezione/diete/{celiac.pk}/", {"diet": "medical", "medical_diet": ""})
    assert response.status_code == 400 and "Per la dieta sanitaria scrivi che cosa deve preparare la cucina." in response.content.decode()
    client.post(f"/admin/refezione/diete/{celiac.pk}/", {"diet": "medical", "medical_diet": "Senza glutine e senza lattosio"})
    celiac.refresh_from_db()
    assert celiac.medical_diet == "Senza glutine e senza lattosio"
    client.post(f"/admin/refezione/diete/{celiac.pk}/", {"diet": "standard", "medical_diet": "resta?"})
    celiac.refresh_from_db()
    assert (celiac.diet, celiac.medical_diet) == ("standard", "")


def test_administrators_see_and_export_the_health_data_reads(client, canteen, kitchen_day):
    school, giulio, celiac, no_pork = kitchen_day
    client.force_login(canteen)
    client.get(f"/admin/refezione/diete/?scuola={school.pk}&giorno=2025-11-26")  # a logged read
    url = "/admin/refezione/letture-dati-sanitari/"
    assert client.get(url).status_code in (302, 403)  # the kitchen reads diets, not the register of reads
    administrator = get_user_model().objects.create_user("amministra", password="x", is_staff=True, first_name="Alda", last_name="Admin")
    administrator.groups.add(Group.objects.get(name="Administrators"))
    client.force_login(administrator)
    page = client.get(url).content.decode()
    assert "Rossi Bruno" in page or "Bruno Rossi" in page or str(celiac) in page
    assert "scheda diete 2025-11-26" in page and "carla" in page.lower() and school.name in page
    assert "Senza glutine" not in page  # the register says who read, never what
    assert client.get(url, {"q": "Bruno"}).status_code == 200
    assert client.get(url, {"user": canteen.pk}).status_code == 200
    export = client.get(url, {"export": "csv"})
    text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert export.status_code == 200 and "Codice fiscale del bambino" in text and celiac.fiscal_code in text
    assert "scheda diete 2025-11-26" in text
    # a register kept by the code: nobody adds, changes or deletes a read from the admin, not even a superuser
    client.force_login(get_user_model().objects.create_superuser("super", password="x"))
    assert client.get(url + "new/").status_code in (302, 403, 404)
    read = HealthDataRead.objects.get()
    assert client.post(url + f"delete/{read.pk}/").status_code in (302, 403, 404) and HealthDataRead.objects.filter(pk=read.pk).exists()


def test_a_meals_broadcast_reaches_only_families_with_a_child_in_service_today(db):
    """Issue 25 (17): "tomorrow the canteen is closed" reached families whose child starts next September."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model

    from services.meals.actions import wallet_get_or_create
    from services.meals.models import Child
    from services.meals.selectors import meal_families
    from tests.factories import SchoolFactory

    today = date(2026, 12, 5)
    from tests.factories import FeeBandFactory

    band = FeeBandFactory()
    school = SchoolFactory()
    User = get_user_model()
    now_family, september_family = User.objects.create_user("ora"), User.objects.create_user("settembre")
    for holder, start, cf in ((now_family, date(2026, 9, 14), "RSSGLI18C52A271N"), (september_family, date(2027, 9, 13), "BNCLCU19E10A271I")):
        Child.objects.create(wallet=wallet_get_or_create(holder=holder), first_name="X", last_name="Y", fiscal_code=cf, school=school,
                             fee_band=band, service_from=start)
    reached = set(meal_families({}, today))
    assert reached == {now_family}
    assert set(meal_families({}, date(2027, 9, 13) + timedelta(days=1))) == {now_family, september_family}
