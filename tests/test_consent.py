"""The analytics question: the banner, ``POST /consent``, and Global Privacy Control."""

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
        assert "secure" not in cookie.attrs and "domain" not in cookie.attrs


def test_first_visit_shows_the_banner_and_sets_no_consent_or_analytics(client):
    response = client.get("/")
    shown = banner(response)
    assert shown is not None
    # A region named by its own heading.
    heading = one(shown, f"#{shown['aria-labelledby']}")
    assert text(heading) == "May the reports count your visits?"
    assert shown.find("a", href="/cookies") is not None
    # Two equal buttons of one form: the same but for the answer.
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


def test_banner_returns_to_the_page_it_is_on(client):
    shown = banner(client.get("/login?next=/reports"))
    assert one(shown, "input[name=next]")["value"] == "/login?next=/reports"


@pytest.mark.parametrize("choice", ["accept", "reject"])
def test_an_answer_hides_the_banner(client, choice):
    client.set_cookie("consent", f"{POLICY_VERSION}.{choice}")
    assert banner(client.get("/")) is None


@pytest.mark.parametrize(
    "value",
    [
        f"{int(POLICY_VERSION) - 1}.accept",  # answered an older policy
        f"{int(POLICY_VERSION) + 1}.accept",
        f"{POLICY_VERSION}.maybe",
        f"{POLICY_VERSION}.accept.extra",
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
    valid = client.get("/", headers={"Cookie": f"consent={POLICY_VERSION}.reject"})
    assert banner(valid) is None


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
def test_choice_shows_the_answer_and_offers_forget(client, choice, says):
    choose(client, choice)
    shown = choice_section(client.get("/cookies"))
    assert f"Your answer: {says}." in text(shown)
    forget = shown.find("button", value="forget")
    assert text(forget) == "Forget my choice" and forget["name"] == "choice"


def test_accept_sets_consent_and_nothing_else(client):
    before = datetime.now(UTC)
    response = choose(client, "accept", next="/reports/pages")
    assert response.status_code == 303
    assert response.headers["Location"] == "/reports/pages"
    jar = set_cookies(response)
    consent = jar["consent"]
    assert consent.value == f"{POLICY_VERSION}.accept"
    assert consent.max_age == 180 * 24 * 3600
    expected = before + timedelta(days=180)
    assert abs(consent.expires - expected) < timedelta(seconds=5)
    assert consent.attrs["path"] == "/"
    assert consent.attrs["httponly"] is True
    assert consent.attrs["samesite"] == "Lax"
    assert "secure" not in consent.attrs and "domain" not in consent.attrs
    # The analytics cookies come from the reports themselves, not from here.
    assert not {"visitor", "visit"} & set(jar)
    messages = alerts(client.get("/reports/pages"))
    assert any(message.startswith("Analytics cookies accepted") for message in messages)


def test_reject_sets_consent_and_deletes_analytics_with_their_path(client):
    response = choose(client, "reject")
    assert response.status_code == 303
    jar = set_cookies(response)
    assert jar["consent"].value == f"{POLICY_VERSION}.reject"
    assert jar["consent"].max_age == 180 * 24 * 3600
    assert_analytics_deleted(response)


def test_forget_deletes_consent_and_analytics(client):
    choose(client, "accept")
    response = choose(client, "forget")
    jar = set_cookies(response)
    consent = jar["consent"]
    assert consent.is_deletion and consent.attrs["path"] == "/"
    assert consent.attrs["httponly"] is True and consent.attrs["samesite"] == "Lax"
    assert_analytics_deleted(response)
    assert client.get_cookie("consent") is None
    assert banner(client.get("/")) is not None


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_over_https_the_names_carry_their_prefixes(client):
    response = choose(client, "reject", base_url="https://localhost")
    jar = set_cookies(response)
    assert jar["__Host-consent"].attrs["secure"] is True
    for name in ("__Secure-visitor", "__Secure-visit"):
        assert jar[name].is_deletion and jar[name].attrs["path"] == "/reports"
        assert jar[name].attrs["secure"] is True


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
    assert set_cookies(response)["consent"].value == f"{POLICY_VERSION}.accept"


def test_gpc_is_a_rejection_and_the_banner_says_so(client):
    response = client.get("/", headers={"Sec-GPC": "1"})
    shown = banner(response)
    heading = one(shown, f"#{shown['aria-labelledby']}")
    assert text(heading) == "Analytics cookies are off"
    assert "Global Privacy Control" in text(shown)
    # No question asked: no buttons, only the link to the policy.
    assert shown.find_all(["button", "form"]) == []
    assert shown.find("a", href="/cookies") is not None


@pytest.mark.parametrize("value", ["0", "", "yes", "1, 1"])
def test_other_gpc_values_are_no_signal(client, value):
    shown = banner(client.get("/", headers={"Sec-GPC": value}))
    assert "Accept analytics cookies" in buttons(shown)


def test_gpc_with_an_earlier_accept_still_keeps_analytics_off(client):
    choose(client, "accept")
    shown = choice_section(client.get("/cookies", headers={"Sec-GPC": "1"}))
    assert "Your answer: accepted." in text(shown)
    assert "analytics cookies stay off for as long as it does" in text(shown)


def test_accept_under_gpc_is_kept_but_analytics_stay_off(client):
    response = choose(client, "accept", headers={"Sec-GPC": "1"})
    assert set_cookies(response)["consent"].value == f"{POLICY_VERSION}.accept"
    assert_analytics_deleted(response)
    messages = alerts(client.get("/", headers={"Sec-GPC": "1"}))
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
