"""Every page has a description of its own in ``<meta name="description">``."""

import pytest
from flask import url_for

from cookiesite.assets import STATIC_ENDPOINTS
from cookiesite.descriptions import DESCRIPTIONS

from html_helpers import page
from support import AuthActions

#: A value for each argument of a page's route, to build an address of it.
ARGUMENTS = {"where": "inside"}


def address(app, endpoint: str) -> str:
    """An address of the page ``endpoint`` names."""
    (rule,) = app.url_map.iter_rules(endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{name: ARGUMENTS[name] for name in rule.arguments})


@pytest.fixture
def admin(app):
    """A client logged in as the admin, who may see every page."""
    client = app.test_client()
    AuthActions(client).login("admin")
    return client


def visit(app, admin, endpoint: str):
    """The page as a visitor sees it, or as the admin does when a visitor
    may not see it (the account and admin pages)."""
    url = address(app, endpoint)
    response = app.test_client().get(url)
    if response.status_code != 200:
        response = admin.get(url)
    return response


def description(response) -> str | None:
    """The content of the page's description, ``None`` without one."""
    found = page(response).select('head meta[name="description"]')
    assert len(found) <= 1, "more than one description"
    return found[0]["content"] if found else None


def test_every_page_has_a_description_and_no_description_lacks_a_page(app, admin):
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in STATIC_ENDPOINTS:
            continue
        response = visit(app, admin, rule.endpoint)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.add(rule.endpoint)
    assert {"main.index", "account.index", "admin.users", "lab.page"} <= pages
    assert sorted(pages) == sorted(DESCRIPTIONS)


def test_descriptions_are_sentences_of_their_own():
    texts = list(DESCRIPTIONS.values())
    assert len(set(texts)) == len(texts)
    for text in texts:
        # What a search engine shows whole; much shorter says little.
        assert 50 <= len(text) <= 160, text
        assert text.endswith(".") and "  " not in text, text


@pytest.mark.parametrize("endpoint", sorted(DESCRIPTIONS))
def test_each_page_carries_its_description(app, admin, endpoint):
    assert description(visit(app, admin, endpoint)) == DESCRIPTIONS[endpoint]


def test_error_pages_and_form_answers_describe_the_site(client, auth):
    assert client.get("/no-such-page").status_code == 404
    assert description(client.get("/no-such-page")) == DESCRIPTIONS["main.index"]
    auth.login("admin")
    cleared = client.post("/reports/admin-cookies/clear-all")
    assert cleared.status_code == 200
    assert "admin.clear_all" not in DESCRIPTIONS
    assert description(cleared) == DESCRIPTIONS["main.index"]


def test_a_description_is_escaped_in_its_attribute(app, client, monkeypatch):
    tricky = 'Say "cookie" & <b>mean</b> it.'
    monkeypatch.setitem(DESCRIPTIONS, "policy.index", tricky)
    response = client.get("/cookies")
    assert description(response) == tricky
    assert not page(response).select("head b")
