"""The analytics question: the banner, ``POST /consent``, the day and policy
version of an answer, and Global Privacy Control."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
from bs4 import Tag
from flask import Response
from werkzeug.http import dump_cookie

from cookiesite.cookies import POLICY_VERSION

from cookies_helpers import set_cookies
from html_helpers import alerts
from html_helpers import buttons
from html_helpers import one
from html_helpers import page
from html_helpers import section
from html_helpers import table_dicts
from html_helpers import text
from support import Clock

#: The day the driven clock starts on (``support.Clock``), and how the
#: consent cookie and the pages write it.
TODAY = "2030-01-01"
TODAY_IN_WORDS = "1 January 2030"

#: The banner's words on the one cookie set before an answer.
SESSION_SENTENCE = (
    "Without asking, the site sets only session: this page's forms need it"
    " for their anti-forgery token."
)

#: Sent by a browser with Global Privacy Control switched on.
GPC = {"Sec-GPC": "1"}


@pytest.fixture
def clock(monkeypatch):
    """The site's clock, at noon on :data:`TODAY`."""
    return Clock(monkeypatch)


def banner(response) -> Tag | None:
    """The banner of a page, or ``None`` when it is not shown."""
    return page(response).select_one("section.consent-banner")


def choice_section(response) -> Tag:
    """The section of ``/cookies`` and ``/preferences`` with the choice."""
    return section(page(response), "Analytics cookies")


def choose(client, choice, next="/", **kw):
    """Press one of the consent buttons on the page at ``next``."""
    return client.post("/consent", data={"choice": choice, "next": next}, **kw)


def assert_analytics_deleted(response):
    """Both analytics cookies deleted, each with the path it was set with."""
    jar = set_cookies(response)
    for name in ("visitor", "visit"):
        cookie = jar[name]
        assert cookie.is_deletion
        assert cookie.attrs["path"] == "/reports"
        assert cookie.expires == datetime(1970, 1, 1, tzinfo=UTC)
        assert cookie.attrs["httponly"] is True
        assert cookie.attrs["samesite"] == "Lax"
        assert set(cookie.attrs) == {
            "expires",
            "max-age",
            "path",
            "httponly",
            "samesite",
        }


def assert_consent_set(response, value, sent_at):
    """The ``consent`` cookie set to ``value`` for 180 days from ``sent_at``
    (the real time: Werkzeug writes Expires from it), with every attribute
    the catalogue declares and no other."""
    cookie = set_cookies(response)["consent"]
    assert cookie.value == value
    assert cookie.max_age == 180 * 24 * 3600
    expected = sent_at + timedelta(days=180)
    assert abs(cookie.expires - expected) < timedelta(seconds=5)
    assert cookie.attrs["path"] == "/"
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
    assert set(cookie.attrs) == {"expires", "max-age", "path", "httponly", "samesite"}


def assert_session_cookie(cookie):
    """Flask's ``session``: a session cookie (no Max-Age, no Expires) for the
    whole site, HttpOnly and SameSite=Lax, and nothing else."""
    assert cookie.name == "session" and cookie.value
    assert cookie.attrs == {"path": "/", "httponly": True, "samesite": "Lax"}


def test_first_visit_shows_the_banner_and_sets_no_consent_or_analytics(client):
    response = client.get("/")
    shown = banner(response)
    assert shown is not None
    # A region named by its own heading.
    heading = one(shown, f"#{shown['aria-labelledby']}")
    assert text(heading) == "May the reports count your visits?"
    assert text(shown.find("a", href="/cookies")) == "Cookie details"
    # Two equal buttons of one form: the same but for the answer. Their
    # names are whole; the words after "Accept" are there for screen readers.
    (form,) = shown.find_all("form")
    accept, reject = form.find_all("button")
    assert (text(accept), accept["value"]) == ("Accept analytics cookies", "accept")
    assert (text(reject), reject["value"]) == ("Reject analytics cookies", "reject")
    assert accept["type"] == "submit" and accept["name"] == "choice"
    assert accept.attrs | {"value": None} == reject.attrs | {"value": None}
    next_field = one(form, "input[name=next]")
    assert next_field["type"] == "hidden" and next_field["value"] == "/"
    # Nothing pre-ticked, and a plain region rather than a modal.
    assert shown.select("input[type=checkbox], [checked]") == []
    assert "role" not in shown.attrs and "aria-modal" not in shown.attrs
    assert shown.select("[role=dialog], [aria-modal]") == []
    assert not {"consent", "visitor", "visit"} & set(set_cookies(response))


def test_the_banner_says_which_cookie_is_already_set_and_it_is_true(client):
    response = client.get("/")
    words = text(banner(response))
    assert SESSION_SENTENCE in words
    assert "If you accept, visitor and visit count your visits to /reports." in words
    # What it says is what the response does: session, and only session.
    jar = set_cookies(response)
    assert list(jar) == ["session"]
    assert_session_cookie(jar["session"])
    # Because the banner's form carries a CSRF token kept in the session.
    assert one(banner(response), "input[name=csrf_token]")["value"]


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_over_https_the_banner_names_the_prefixed_cookies(client):
    words = text(banner(client.get("/", base_url="https://localhost")))
    assert "Without asking, the site sets only __Host-session:" in words
    assert "__Secure-visitor and __Secure-visit count your visits to /reports" in words


def test_banner_returns_to_the_page_it_is_on(client):
    shown = banner(client.get("/login?next=/reports"))
    assert one(shown, "input[name=next]")["value"] == "/login?next=/reports"


@pytest.mark.parametrize("choice", ["accept", "reject"])
def test_an_answer_hides_the_banner(client, choice):
    client.set_cookie("consent", f"{POLICY_VERSION}.{choice}.2030-01-01")
    assert banner(client.get("/")) is None


@pytest.mark.parametrize(
    "value",
    [
        f"{int(POLICY_VERSION) - 1}.accept",  # answered an older policy
        f"{int(POLICY_VERSION) + 1}.accept",
        f"{POLICY_VERSION}.maybe",
        f"{POLICY_VERSION}.accept.extra",
        f"{POLICY_VERSION}.accept.2030-02-30",  # no such day
        f"{POLICY_VERSION}.accept.2030-1-01",
        f"{POLICY_VERSION}.accept.20300101",
        f"{POLICY_VERSION}.accept.2030-01-01.x",
        f"{int(POLICY_VERSION) + 1}.accept.2030-01-01",
        "accept",
        "",
        '"<script>alert(1)</script>"',
        "1" * 5000,
    ],
)
def test_an_invalid_or_outdated_answer_asks_again(app, value):
    # A raw header (a browser would not even keep the oversized one), from a
    # client without a jar of its own, which would replace the header.
    client = app.test_client(use_cookies=False)
    response = client.get("/", headers={"Cookie": f"consent={value}"})
    assert response.status_code == 200
    assert banner(response) is not None
    # Shown as text at most, never as markup.
    assert "<script>alert" not in response.data.decode()
    assert not [s for s in page(response).find_all("script") if "alert" in s.text]
    # The same raw header with a valid answer does reach the app.
    valid = f"consent={POLICY_VERSION}.reject.2030-01-01"
    assert banner(client.get("/", headers={"Cookie": valid})) is None


@pytest.mark.parametrize("path", ["/cookies", "/preferences"])
def test_pages_with_the_choice_show_it_instead_of_the_banner(client, path):
    response = client.get(path)
    assert banner(response) is None
    choice = choice_section(response)
    assert "You have not answered yet" in text(choice)
    assert buttons(choice) == ["Accept analytics cookies", "Reject analytics cookies"]
    assert one(choice, "input[name=next]")["value"] == path


@pytest.mark.parametrize(
    ("choice", "says"), [("accept", "accepted"), ("reject", "rejected")]
)
@pytest.mark.parametrize("path", ["/cookies", "/preferences"])
def test_choice_shows_the_answer_its_day_and_version_and_offers_forget(
    client, clock, path, choice, says
):
    choose(client, choice)
    shown = choice_section(client.get(path))
    assert (
        f"You {says} analytics cookies on {TODAY_IN_WORDS}"
        f" (policy version {POLICY_VERSION})."
    ) in text(shown)
    assert one(shown, "time")["datetime"] == TODAY
    # The footer's "Cookie settings" link lands on it.
    assert shown["id"] == "consent-choice"
    forget = shown.find("button", value="forget")
    assert text(forget) == "Forget my choice" and forget["name"] == "choice"


def test_a_changed_answer_shows_the_day_of_the_change(client, clock):
    choose(client, "accept")
    clock.advance(days=40)
    sent_at = datetime.now(UTC)
    response = choose(client, "reject", next="/preferences")
    assert_consent_set(response, f"{POLICY_VERSION}.reject.2030-02-10", sent_at)
    shown = choice_section(client.get("/preferences"))
    assert "You rejected analytics cookies on 10 February 2030" in text(shown)
    assert one(shown, "time")["datetime"] == "2030-02-10"


def test_the_day_is_the_utc_day_of_the_answer(client, monkeypatch):
    clock = Clock(monkeypatch, start=datetime(2030, 12, 31, 23, 59))
    choose(client, "reject")
    assert client.get_cookie("consent").value == f"{POLICY_VERSION}.reject.2030-12-31"
    clock.advance(minutes=2)
    # The cookie keeps the day it was answered; the page shows that day.
    shown = choice_section(client.get("/cookies"))
    assert "on 31 December 2030" in text(shown)


@pytest.mark.parametrize("choice", ["accept", "reject"])
def test_an_answer_stored_before_the_day_was_kept_still_counts(client, choice):
    client.set_cookie("consent", f"{POLICY_VERSION}.{choice}")
    assert banner(client.get("/")) is None
    shown = choice_section(client.get("/preferences"))
    assert (
        f"You {choice}ed analytics cookies before this site kept the day of an"
        f" answer (policy version {POLICY_VERSION})."
    ) in text(shown)
    assert shown.find("time") is None


def test_without_an_answer_the_choice_shows_no_day(client):
    shown = choice_section(client.get("/cookies"))
    assert "You have not answered yet" in text(shown)
    assert shown.find("time") is None and "policy version" not in text(shown)


def test_accept_sets_consent_and_nothing_else(client, clock):
    sent_at = datetime.now(UTC)
    response = choose(client, "accept", next="/reports/pages")
    assert response.status_code == 303
    assert response.headers["Location"] == "/reports/pages"
    jar = set_cookies(response)
    assert_consent_set(response, f"{POLICY_VERSION}.accept.{TODAY}", sent_at)
    # The analytics cookies come from the reports themselves, not from here;
    # the session carries the message shown on the next page.
    assert set(jar) == {"consent", "session"}
    assert_session_cookie(jar["session"])
    messages = alerts(client.get("/reports/pages"))
    assert any(message.startswith("Analytics cookies accepted") for message in messages)


def test_reject_sets_consent_and_deletes_analytics_with_their_path(client, clock):
    sent_at = datetime.now(UTC)
    response = choose(client, "reject")
    assert response.status_code == 303
    jar = set_cookies(response)
    assert set(jar) == {"consent", "visitor", "visit", "session"}
    assert_consent_set(response, f"{POLICY_VERSION}.reject.{TODAY}", sent_at)
    assert_analytics_deleted(response)
    assert_session_cookie(jar["session"])


def test_forget_deletes_consent_and_analytics(client):
    choose(client, "accept")
    response = choose(client, "forget")
    jar = set_cookies(response)
    assert set(jar) == {"consent", "visitor", "visit", "session"}
    consent = jar["consent"]
    assert consent.is_deletion
    assert consent.expires == datetime(1970, 1, 1, tzinfo=UTC)
    assert consent.attrs["path"] == "/"
    assert consent.attrs["httponly"] is True and consent.attrs["samesite"] == "Lax"
    assert set(consent.attrs) == {"expires", "max-age", "path", "httponly", "samesite"}
    assert_analytics_deleted(response)
    assert_session_cookie(jar["session"])
    assert client.get_cookie("consent") is None
    assert banner(client.get("/")) is not None


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_over_https_the_names_carry_their_prefixes(client):
    response = choose(client, "reject", base_url="https://localhost")
    jar = set_cookies(response)
    assert set(jar) == {
        "__Host-consent",
        "__Secure-visitor",
        "__Secure-visit",
        "__Host-session",
    }
    consent = jar["__Host-consent"]
    assert consent.value.startswith(f"{POLICY_VERSION}.reject.")
    assert consent.attrs["secure"] is True and consent.attrs["path"] == "/"
    assert consent.attrs["httponly"] is True and consent.attrs["samesite"] == "Lax"
    assert "domain" not in consent.attrs
    for name in ("__Secure-visitor", "__Secure-visit"):
        assert jar[name].is_deletion and jar[name].attrs["path"] == "/reports"
        assert jar[name].attrs["secure"] is True
    assert jar["__Host-session"].attrs == {
        "secure": True,
        "path": "/",
        "httponly": True,
        "samesite": "Lax",
    }


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_consent_returns_only_to_same_site_pages(client, target):
    response = choose(client, "accept", next=target)
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("choice", [None, "", "yes", "ACCEPT", "accept " * 100])
def test_unknown_choice_is_refused_and_changes_nothing(client, choice):
    data = {"next": "/"} if choice is None else {"choice": choice, "next": "/"}
    response = client.post("/consent", data=data)
    assert response.status_code == 400
    assert "could not be understood" in text(one(response, "main"))
    assert not {"consent", "visitor", "visit"} & set(set_cookies(response))


def test_consent_is_post_only(client):
    assert client.get("/consent").status_code == 405


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_consent_needs_the_csrf_token(client):
    response = choose(client, "accept")
    assert response.status_code == 400
    assert "consent" not in set_cookies(response)
    # The banner's own form carries the token, so pressing Accept works.
    token = one(banner(client.get("/")), "input[name=csrf_token]")["value"]
    response = client.post(
        "/consent", data={"choice": "accept", "next": "/", "csrf_token": token}
    )
    assert response.status_code == 303
    assert set_cookies(response)["consent"].value.startswith(
        f"{POLICY_VERSION}.accept."
    )


def test_gpc_is_a_rejection_and_the_banner_says_so(client):
    response = client.get("/", headers=GPC)
    shown = banner(response)
    heading = one(shown, f"#{shown['aria-labelledby']}")
    assert text(heading) == "Analytics cookies are off"
    assert (
        "Your browser sent Global Privacy Control, which this site took as your"
        " rejection: visitor and visit are never set."
    ) in text(shown)
    # No question asked: one button, which dismisses the notice by storing
    # the rejection as the answer; and the link to the policy.
    (form,) = shown.find_all("form")
    assert form["action"] == "/consent" and form["method"] == "post"
    (button,) = form.find_all("button")
    assert text(button) == "OK, hide this notice"
    assert (button["name"], button["value"]) == ("choice", "reject")
    assert one(form, "input[name=next]")["value"] == "/"
    assert shown.find("a", href="/cookies") is not None
    assert not {"consent", "visitor", "visit"} & set(set_cookies(response))


def test_the_gpc_notice_shows_until_dismissed_then_never_again(client, clock):
    assert banner(client.get("/reports", headers=GPC)) is not None
    assert banner(client.get("/login", headers=GPC)) is not None
    sent_at = datetime.now(UTC)
    response = choose(client, "reject", next="/login", headers=GPC)
    assert response.headers["Location"] == "/login"
    jar = set_cookies(response)
    assert set(jar) == {"consent", "visitor", "visit", "session"}
    assert_consent_set(response, f"{POLICY_VERSION}.reject.{TODAY}", sent_at)
    assert_analytics_deleted(response)
    after = client.get("/login", headers=GPC)
    assert banner(after) is None
    assert any("Global Privacy Control" in message for message in alerts(after))
    for path in ("/", "/reports", "/signup"):
        assert banner(client.get(path, headers=GPC)) is None
    # The answer and its day are shown where the choice is.
    shown = choice_section(client.get("/preferences", headers=GPC))
    assert f"You rejected analytics cookies on {TODAY_IN_WORDS}" in text(shown)


@pytest.mark.parametrize("answer", [None, "reject", "accept"])
def test_no_analytics_cookie_is_ever_set_under_gpc(client, answer):
    if answer:
        choose(client, answer, headers=GPC)
    for path in ("/reports", "/reports/pages", "/reports/your-visit", "/reports"):
        response = client.get(path, headers=GPC)
        assert response.status_code == 200
        for name in ("visitor", "visit"):
            cookie = set_cookies(response).get(name)
            assert cookie is None or cookie.is_deletion, f"{path} set {name}"
    assert client.get_cookie("visitor", path="/reports") is None
    assert client.get_cookie("visit", path="/reports") is None


@pytest.mark.parametrize("value", ["0", "", "yes", "1, 1"])
def test_other_gpc_values_are_no_signal(client, value):
    shown = banner(client.get("/", headers={"Sec-GPC": value}))
    assert "Accept analytics cookies" in buttons(shown)


def test_gpc_with_an_earlier_accept_still_keeps_analytics_off(client, clock):
    choose(client, "accept")
    shown = choice_section(client.get("/cookies", headers=GPC))
    assert f"You accepted analytics cookies on {TODAY_IN_WORDS}" in text(shown)
    assert "analytics cookies stay off for as long as it does" in text(shown)


def test_accept_under_gpc_is_kept_but_analytics_stay_off(client, clock):
    sent_at = datetime.now(UTC)
    response = choose(client, "accept", headers=GPC)
    assert_consent_set(response, f"{POLICY_VERSION}.accept.{TODAY}", sent_at)
    assert_analytics_deleted(response)
    messages = alerts(client.get("/", headers=GPC))
    assert any("Your browser sends Global Privacy Control" in m for m in messages)


def test_a_deletion_with_path_root_would_leave_the_analytics_cookies(app, client):
    """Why ``cookies.erase`` repeats the path: a cookie is identified by name,
    domain *and* path, so deleting ``visitor`` at ``/`` names another cookie."""

    @app.get("/test/delete-at-root")
    def delete_at_root():
        response = Response("deleted at /")
        for name in ("visitor", "visit"):
            header = dump_cookie(name, "", max_age=0, path="/", httponly=True)
            response.headers.add("Set-Cookie", header + "; SameSite=Lax")
        return response

    choose(client, "accept")
    client.get("/reports")
    visitor = client.get_cookie("visitor", path="/reports").value
    visit = client.get_cookie("visit", path="/reports").value

    client.get("/test/delete-at-root")
    # The wrong deletion missed: both are still kept, and still sent to /reports.
    assert client.get_cookie("visitor", path="/reports").value == visitor
    assert client.get_cookie("visit", path="/reports").value == visit
    (visitor_row, _) = table_dicts(page(client.get("/reports/your-visit")))
    assert visitor_row["Value"] == visitor
    assert visitor_row["This page"] == "sent by your browser"

    # Ours carries Path=/reports, and the cookies are gone.
    choose(client, "reject")
    assert client.get_cookie("visitor", path="/reports") is None
    assert client.get_cookie("visit", path="/reports") is None
    response = client.get("/reports/your-visit")
    assert visitor not in response.data.decode()
    assert "you rejected analytics cookies" in text(page(response))
