"""The page language: the Accept-Language header, the lang cookie that wins
over it, the switches that set it, and members' choices."""

import pytest

from cookiesite.extensions import db
from cookiesite.models import User

from cookies_helpers import assert_preference_written
from cookies_helpers import set_cookies
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import text
from support import PASSWORD

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def language_of(response) -> str:
    """The page's language as the page says it (``<html lang>``), checked
    against its ``Content-Language`` header and its main heading's words."""
    lang = page(response).html["lang"]
    assert response.headers["Content-Language"] == lang
    heading = text(one(response, "nav.navbar"))
    assert ("Einstellungen" in heading) == (lang == "de")
    assert ("Preferences" in heading) == (lang == "en")
    return lang


def varies_on_header(response) -> bool:
    return "Accept-Language" in response.headers.get("Vary", "")


def account_lang(app, name="member"):
    with app.app_context():
        return db.session.scalar(db.select(User.lang).filter_by(username=name))


def choose(client, lang, next="/"):
    return client.post("/preferences/language", data={"lang": lang, "next": next})


@pytest.mark.parametrize("path", ["/", "/cookies", "/preferences", "/login"])
def test_accept_language_without_cookie_chooses_the_page_language(client, path):
    response = client.get(path, headers=GERMAN)
    assert response.status_code == 200
    assert language_of(response) == "de"
    # Drawn from the header: a cache must keep one copy per language.
    assert varies_on_header(response)
    assert "lang" not in set_cookies(response)  # the header sets no cookie
    assert language_of(client.get(path, headers=ENGLISH)) == "en"


@pytest.mark.parametrize(
    "header",
    [None, "", "fr-FR,fr;q=0.9", "*", "de;q=0", "x" * 2000, "de-\x7f;q=abc"],
    ids=["none", "empty", "unoffered", "any", "refused", "huge", "garbage"],
)
def test_header_without_an_offered_language_gives_english(client, header):
    headers = {} if header is None else {"Accept-Language": header}
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert language_of(response) == "en"


def test_the_best_offered_language_of_the_header_wins(client):
    headers = {"Accept-Language": "fr;q=1, de;q=0.8, en;q=0.5"}
    assert language_of(client.get("/", headers=headers)) == "de"
    headers = {"Accept-Language": "de;q=0.4, en-US;q=0.7"}
    assert language_of(client.get("/", headers=headers)) == "en"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [("en", GERMAN, "en"), ("de", ENGLISH, "de"), ("de", {}, "de")],
)
def test_the_cookie_wins_over_the_header(client, cookie, header, expected):
    client.set_cookie("lang", cookie)
    response = client.get("/", headers=header)
    assert language_of(response) == expected
    # The cookie decided, not the header: no Vary on it (Vary: Cookie is there).
    assert not varies_on_header(response)
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize(
    "raw",
    ["lang=fr", "lang=", "lang=DE", "lang=de-DE", 'lang="><script>x</script>'],
)
def test_an_invalid_cookie_counts_as_absent(client, raw):
    response = client.get("/preferences", headers={"Cookie": raw, **GERMAN})
    assert response.status_code == 200
    assert language_of(response) == "de"  # the header's
    assert varies_on_header(response)
    assert "<script>x" not in response.data.decode()
    # Not echoed as the visitor's choice either.
    assert "Accept-Language: de-DE" in text(one(response, "#language-source"))
    english = client.get("/", headers={"Cookie": raw, **ENGLISH})
    assert language_of(english) == "en"


def test_files_say_no_language(client):
    response = client.get("/static/css/site.css", headers=GERMAN)
    assert response.status_code == 200
    assert "Content-Language" not in response.headers
    assert not varies_on_header(response)


@pytest.mark.parametrize("cookie", [None, "en", "de"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_switch_sets_or_updates_the_cookie_and_returns(client, cookie, lang):
    if cookie:
        client.set_cookie("lang", cookie)
    response = choose(client, lang, next="/cookies?x=1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/cookies?x=1"
    assert_preference_written(response, "lang", lang)
    assert language_of(client.get("/cookies?x=1", headers=GERMAN)) == lang


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_switch_over_https_sets_the_prefixed_secure_cookie(client):
    response = client.post(
        "/preferences/language",
        data={"next": "/", "lang": "de"},
        base_url="https://localhost",
    )
    assert_preference_written(response, "__Host-lang", "de", secure=True)


@pytest.mark.parametrize(
    "data",
    [{}, {"lang": ""}, {"lang": "fr"}, {"lang": "DE"}, {"lang": "x" * 5000}],
    ids=["none", "empty", "unoffered", "case", "huge"],
)
def test_switch_refuses_an_unoffered_language(client, data):
    response = client.post("/preferences/language", data={"next": "/", **data})
    assert response.status_code == 400
    assert "lang" not in set_cookies(response)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_switch_without_csrf_token_is_refused(client):
    response = choose(client, "de")
    assert response.status_code == 400
    assert "lang" not in set_cookies(response)


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "javascript:x"]
)
def test_switch_returns_only_to_same_site_pages(client, target):
    assert choose(client, "de", next=target).headers["Location"] == "/"


def test_navbar_switch_offers_each_language_named_in_itself(client):
    response = client.get("/cookies?x=1", headers=GERMAN)
    (form,) = forms(response, "/preferences/language")
    assert one(form, "input[name=next]")["value"] == "/cookies?x=1"
    found = {
        button["value"]: (
            button.get_text(" ", strip=True),
            button["lang"],
            button["aria-pressed"],
        )
        for button in form.find_all("button")
    }
    assert found == {
        "en": ("EN English", "en", "false"),
        "de": ("DE Deutsch", "de", "true"),
    }


def test_preferences_page_says_what_decided_and_resets(client):
    response = client.get("/preferences", headers=GERMAN)
    source = text(one(response, "#language-source"))
    assert "Accept-Language: de-DE,de;q=0.9,en;q=0.5" in source
    (save,) = [
        f
        for f in forms(response, "/preferences/language")
        if f.select("input[type=radio]")
    ]
    checked = save.select("input[name=lang][checked]")
    assert [option["value"] for option in checked] == ["de"]

    choose(client, "en", next="/preferences")
    response = client.get("/preferences", headers=GERMAN)
    assert language_of(response) == "en"
    assert "lang cookie" in text(one(response, "#language-source"))

    response = client.post("/preferences/reset", headers=GERMAN)
    deletion = set_cookies(response)["lang"]
    assert deletion.is_deletion
    assert deletion.attrs["path"] == "/" and deletion.attrs["samesite"] == "Lax"
    assert client.get_cookie("lang") is None
    # Back to the header, and the message about it already in its language.
    after = client.get(response.headers["Location"], headers=GERMAN)
    assert language_of(after) == "de"
    assert "theme" in text(one(after, ".alert-info"))
    assert "Einstellungen" in text(one(after, ".alert-info"))


def test_member_choice_is_kept_on_the_account(app, client, auth):
    auth.login()
    choose(client, "de")
    assert account_lang(app) == "de"
    choose(client, "en")
    assert account_lang(app) == "en"
    client.post("/preferences/reset")
    assert account_lang(app) is None


def test_login_on_another_browser_gets_the_account_language(app, client, auth):
    auth.login()
    choose(client, "de")
    auth.logout()
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "member", "password": PASSWORD},
        headers=ENGLISH,
    )
    assert_preference_written(response, "lang", "de")
    # The login's own message is already German, on the first German page.
    after = other.get(response.headers["Location"], headers=ENGLISH)
    assert language_of(after) == "de"


def test_account_language_wins_over_the_browser_at_login(app, client, auth):
    with app.app_context():
        User.by_username("member").lang = "en"
        db.session.commit()
    client.set_cookie("lang", "de")
    assert set_cookies(auth.login())["lang"].value == "en"
    assert account_lang(app) == "en"


def test_member_without_language_adopts_the_browser_choice(app, client, auth):
    client.set_cookie("lang", "de")
    response = auth.login(headers=ENGLISH)
    assert "lang" not in set_cookies(response)  # the browser already has it
    assert account_lang(app) == "de"
    # The header alone is no choice: nothing is stored for it.
    client.post("/logout")
    client.delete_cookie("lang")
    with app.app_context():
        User.by_username("member").lang = None
        db.session.commit()
    auth.login(headers=GERMAN)
    assert account_lang(app) is None
