"""Drive the real SAML round trip with the Django test client and the demo IdP."""

from html import unescape

from bs4 import BeautifulSoup

DEMO_IDP = "http://testserver/demo-idp/metadata/"


def form_fields(response):
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form")
    return form["action"], {i["name"]: unescape(i.get("value", "")) for i in form.find_all("input") if i.get("name")}


def start_login(client, next_url="/area-personale/", level=2, method=""):
    query = {"idp": DEMO_IDP, "next": next_url, "livello": level}
    if method:
        query["metodo"] = method
    response = client.get("/spid/login/", query)
    assert response.status_code == 200, response.content[:500]
    action, fields = form_fields(response)
    assert action == "http://testserver/demo-idp/sso/"
    return fields


def idp_response(client, fields, identity="maria.rossi", level=2):
    """Post the AuthnRequest to the demo IdP, pick an identity, return the SAMLResponse form fields."""
    response = client.post("/demo-idp/sso/", fields)
    assert response.status_code == 200, response.content[:500]
    response = client.post("/demo-idp/sso/login/", {"identity": identity, "level": level})
    assert response.status_code == 200
    action, fields = form_fields(response)
    assert action == "http://testserver/spid/acs/"
    return fields


def full_login(client, identity="maria.rossi", next_url="/area-personale/", level=2, idp_level=None):
    fields = idp_response(client, start_login(client, next_url, level), identity, idp_level or level)
    return client.post("/spid/acs/", fields)
