"""The analytics question: the banner, ``POST /consent``, and Global Privacy Control."""

import re
from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
from flask import Response
from werkzeug.http import dump_cookie

from cookiesite.cookies import POLICY_VERSION

from cookies_helpers import set_cookies

BANNER = re.compile(r'<section class="consent-banner.*?</section>', re.S)
CHOICE = re.compile(
    r'<section[^>]*aria-labelledby="consent-choice-heading".*?</section>', re.S
)


def banner(response) -> str | None:
    """The banner's markup in a page, or ``None`` when it is not shown."""
    match = BANNER.search(response.data.decode())
    return match[0] if match else None


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
    text = banner(response)
    assert text is not None
    assert ">May the reports count your visits?</h2>" in text
    assert 'href="/cookies"' in text
    accept = (
        '<button type="submit" class="btn btn-primary" name="choice" value="accept">'
        "Accept analytics cookies</button>"
    )
    reject = accept.replace("accept", "reject").replace("Accept", "Reject")
    # Two equal buttons: the same markup but for the answer.
    assert accept in text and reject in text
    assert '<input type="hidden" name="next" value="/">' in text
    # Nothing pre-ticked, and a plain region rather than a modal.
    assert "checkbox" not in text and "checked" not in text
    assert 'role="dialog"' not in text and "aria-modal" not in text
    assert 'aria-labelledby="consent-banner-heading"' in text
    assert not {"consent", "visitor", "visit"} & set(set_cookies(response))


def test_banner_returns_to_the_page_it_is_on(client):
    text = banner(client.get("/login?next=/reports"))
    assert '<input type="hidden" name="next" value="/login?next=/reports">' in text


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
    assert "<script>alert" not in response.data.decode()
    # The same raw header with a valid answer does reach the app.
    valid = client.get("/", headers={"Cookie": f"consent={POLICY_VERSION}.reject"})
    assert banner(valid) is None


@pytest.mark.parametrize("path", ["/cookies", "/preferences"])
def test_pages_with_the_choice_show_it_instead_of_the_banner(client, path):
    response = client.get(path)
    assert banner(response) is None
    choice = CHOICE.search(response.data.decode())[0]
    assert "You have not answered yet" in choice
    assert ">Accept analytics cookies</button>" in choice
    assert ">Reject analytics cookies</button>" in choice
    assert "Forget my choice" not in choice
    assert f'name="next" value="{path}"' in choice


@pytest.mark.parametrize(
    ("choice", "says"), [("accept", "accepted"), ("reject", "rejected")]
)
def test_choice_shows_the_answer_and_offers_forget(client, choice, says):
    choose(client, choice)
    text = CHOICE.search(client.get("/cookies").data.decode())[0]
    assert f"Your answer: <strong>{says}</strong>" in text
    assert 'value="forget">Forget my choice</button>' in text


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
    page = client.get("/reports/pages").data.decode()
    assert "Analytics cookies accepted" in page


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
    assert "could not be understood" in response.data.decode()
    assert not {"consent", "visitor", "visit"} & set(set_cookies(response))


def test_consent_is_post_only(client):
    assert client.get("/consent").status_code == 405


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_consent_needs_the_csrf_token(client):
    response = choose(client, "accept")
    assert response.status_code == 400
    assert "consent" not in set_cookies(response)
    # The banner's own form carries the token, so pressing Accept works.
    token = re.search(r'name="csrf_token" value="([^"]+)"', banner(client.get("/")))[1]
    response = client.post(
        "/consent", data={"choice": "accept", "next": "/", "csrf_token": token}
    )
    assert response.status_code == 303
    assert set_cookies(response)["consent"].value == f"{POLICY_VERSION}.accept"


def test_gpc_is_a_rejection_and_the_banner_says_so(client):
    response = client.get("/", headers={"Sec-GPC": "1"})
    text = banner(response)
    assert ">Analytics cookies are off</h2>" in text
    assert "Global Privacy Control" in text
    # No question asked: no buttons, only the link to the policy.
    assert "<button" not in text and "<form" not in text
    assert 'href="/cookies"' in text


@pytest.mark.parametrize("value", ["0", "", "yes", "1, 1"])
def test_other_gpc_values_are_no_signal(client, value):
    text = banner(client.get("/", headers={"Sec-GPC": value}))
    assert ">Accept analytics cookies</button>" in text


def test_gpc_with_an_earlier_accept_still_keeps_analytics_off(client):
    choose(client, "accept")
    page = client.get("/cookies", headers={"Sec-GPC": "1"}).data.decode()
    text = CHOICE.search(page)[0]
    assert "Your answer: <strong>accepted</strong>" in text
    assert "analytics cookies stay off for as long as it does" in text


def test_accept_under_gpc_is_kept_but_analytics_stay_off(client):
    response = choose(client, "accept", headers={"Sec-GPC": "1"})
    assert set_cookies(response)["consent"].value == f"{POLICY_VERSION}.accept"
    assert_analytics_deleted(response)
    page = client.get("/", headers={"Sec-GPC": "1"}).data.decode()
    assert "Your browser sends Global Privacy Control" in page


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
    page = client.get("/reports/your-visit").data.decode()
    assert f"<code>{visitor}</code>" in page and "sent by your browser" in page

    # Ours carries Path=/reports, and the cookies are gone.
    choose(client, "reject")
    assert client.get_cookie("visitor", path="/reports") is None
    assert client.get_cookie("visit", path="/reports") is None
    page = client.get("/reports/your-visit").data.decode()
    assert visitor not in page and "you rejected analytics cookies" in page
