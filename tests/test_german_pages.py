"""Every page in German has no English left: its text, and the names and
hints in its attributes.

What may stay English is what the page marks as not prose: code
(``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``: cookie and header names, raw
headers, values) and what is marked as another language (``lang="en"``:
the language switch's "English").
"""

import re

import pytest
from site_tour import PAGES

from cookiesite.extensions import db
from cookiesite.models import User

from html_helpers import page
from support import AuthActions
from support import PASSWORD

#: English words that are not German words too: any of them in a German
#: page's prose is a sentence left untranslated.
ENGLISH_WORDS = frozenset({
    "the", "and", "your", "you", "yours", "is", "are", "of", "to", "with", "this",
    "that", "these", "when", "what", "which", "from", "only", "has", "have",
    "been", "can", "not", "it", "its", "at", "on", "by", "or", "after", "before",
    "until", "because", "cookie's", "page's", "here", "there", "their", "they",
    "them",
})  # fmt: skip

#: The site's own words for its main things and actions, each of which a
#: German page must say in German.
ENGLISH_UI = (
    "Home", "Reports", "Preferences", "Lab", "Log in", "Log out", "Sign up",
    "Skip to content", "Cookie settings", "Remember me", "Username",
    "Password", "Save", "Delete", "Accept", "Reject", "Menu", "Light", "Dark",
    "Language", "Colour mode", "Previous response", "Page views", "Visitors",
    "Account", "Devices", "Users", "Sessions", "Clear", "Expires in",
)  # fmt: skip

#: Attributes that a visitor reads or hears.
SPOKEN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "content")

#: The tutorial's example, as the lab's form sends it.
LAB_COOKIE = {
    "name": "flavour", "value": "oat", "max_age": "15", "path": "/lab",
    "samesite": "Lax",
}  # fmt: skip


def prose(response) -> list[str]:
    """The German page's prose: its visible text and spoken attributes,
    without code, scripts and parts marked as another language."""
    document = page(response)
    for element in document.select("code, pre, kbd, samp, script, style, template"):
        element.decompose()
    for element in document.select("[lang]"):
        if element.name != "html" and element["lang"] != "de":
            element.decompose()
    texts = [" ".join(document.get_text(" ").split())]
    for element in document.find_all(True):
        if element.name == "meta" and element.get("name") != "description":
            continue
        texts += [element[name] for name in SPOKEN_ATTRIBUTES if element.get(name)]
    return texts


def english_in(response) -> list[str]:
    """Every English word and UI text found in the page's prose."""
    found = []
    for text in prose(response):
        words = set(re.findall(r"[A-Za-z']+", text))
        found += sorted(words & ENGLISH_WORDS)
        found += [ui for ui in ENGLISH_UI if re.search(rf"\b{ui}\b", text)]
    return found


def visitor(app, who: str):
    """A test client for one of the site tour's visitors, in German."""
    client = app.test_client()
    client.set_cookie("lang", "de")
    if who == "member":
        AuthActions(client).login("member")
        client.post("/consent", data={"choice": "accept", "next": "/"})
        client.get("/reports")
        client.get("/reports/pages")
    elif who == "admin":
        AuthActions(client).login("admin")
        client.post("/consent", data={"choice": "reject", "next": "/"})
    return client


@pytest.mark.parametrize("entry", PAGES, ids=lambda entry: f"{entry[0]} {entry[1]}")
def test_no_english_on_a_german_page(app, entry):
    who, path, status = entry
    response = visitor(app, who).get(path)
    assert response.status_code == status
    assert page(response).html["lang"] == "de"
    assert english_in(response) == [], path


def test_no_english_in_german_messages_and_form_errors(app):
    """Flashed messages and form errors, WTForms' and Flask-WTF's included."""
    client = visitor(app, "anonymous")
    answers = [
        client.post("/login", data={"username": "member", "password": "wrong"}),
        client.post("/signup", data={}),
        client.post("/signup", data={"username": "x", "password": "password"}),
        client.post("/consent", data={"choice": "accept", "next": "/cookies"}),
        client.get("/cookies"),
        client.post("/preferences", data={"theme": "blue"}),
        client.post("/preferences/language", data={"lang": "fr"}),
        # The lab: a cookie set, its outcome explained; then a refusal.
        client.post("/lab", data=LAB_COOKIE, follow_redirects=True),
        client.post("/lab", data={**LAB_COOKIE, "path": "/elsewhere"}),
        # Deletes the lang cookie: the header speaks for the browser again.
        client.post(
            "/preferences/reset",
            headers={"Accept-Language": "de"},
            follow_redirects=True,
        ),
    ]
    assert [a.status_code for a in answers] == [
        422, 422, 422, 303, 200, 422, 400, 200, 422, 200,
    ]  # fmt: skip
    for answer in answers:
        if not answer.location:  # a redirect's body is no page anyone reads
            assert english_in(answer) == [], answer.request.path


def test_no_english_on_the_member_pages_after_changes(app):
    client = visitor(app, "member")
    answers = [
        client.post("/account/password", data={"current_password": "wrong"}),
        client.get("/account"),
    ]
    for answer in answers:
        assert english_in(answer) == [], answer.request.path


def test_a_member_german_choice_reaches_their_other_browser(app):
    client = visitor(app, "member")
    client.post("/preferences/language", data={"lang": "de", "next": "/"})
    with app.app_context():
        assert User.by_username("member").lang == "de"
        db.session.remove()
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "member", "password": PASSWORD},
        headers={"Accept-Language": "en"},
        follow_redirects=True,
    )
    assert page(response).html["lang"] == "de"
    assert english_in(response) == []
