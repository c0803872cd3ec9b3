from tests.web.conftest import Personas


def test_it_sends_an_anonymous_visitor_to_the_login_page(client) -> None:
    response = client.get("/fr/")
    assert response.status_code == 302
    assert "/fr/accounts/login/" in response["Location"]


def test_it_shows_the_dashboard_in_french_by_default(personas: Personas) -> None:
    response = personas.client(personas.investigator_a).get("/fr/")
    assert response.status_code == 200
    assert "Tableau de bord" in response.content.decode()
