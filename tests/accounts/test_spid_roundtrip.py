from services.accounts.models import LoginEvent, User
from tests.accounts.saml_helpers import full_login


def test_saml_round_trip_creates_the_citizen_and_lands_in_the_personal_area(client, db):
    response = full_login(client)
    assert response.status_code == 302 and response["Location"] == "/area-personale/"
    user = User.objects.get(fiscal_code="RSSMRA85C52H501N")
    assert (user.first_name, user.last_name, user.email) == ("Maria", "Rossi", "maria.rossi@example.it")
    assert str(user.date_of_birth) == "1985-03-12"
    event = LoginEvent.objects.get(user=user)
    assert (event.method, event.level) == ("spid", "L2")
    page = client.get("/area-personale/")
    assert page.status_code == 200 and "Ciao, Maria" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
