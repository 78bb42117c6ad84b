"""The cookie lab: every ``set_cookie`` parameter, update and delete, what the
page says of them, and the sandbox that keeps lab cookies inside ``/lab``."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest

from cookiesite.lab.family import LAB

from cookies_helpers import set_cookies
from html_helpers import one
from html_helpers import page
from html_helpers import section
from html_helpers import table_dicts
from html_helpers import text

#: The tutorial's example, as the form sends it (HttpOnly left unticked).
FLAVOUR = {"name": "flavour", "value": "oat", "max_age": "15", "path": "/lab"}


def lab_set(client, base_url="http://localhost", **fields):
    """Press "Set cookie" with ``fields`` on top of the tutorial's example."""
    data = {**FLAVOUR, "samesite": "Lax", **fields}
    return client.post("/lab", data=data, base_url=base_url)


def lab_header(response):
    """The one lab cookie the response sets or deletes, parsed."""
    found = [c for c in set_cookies(response).values() if c.name.startswith("lab_")]
    assert len(found) == 1, found
    return found[0]


def outcome(response) -> str:
    """The text of the page's "What the site did" section."""
    return text(section(page(response), "What the site did"))


def sent_rows(response) -> list[dict]:
    """The rows of the table of lab cookies the browser sent."""
    found = section(page(response), "Lab cookies your browser sent")
    return table_dicts(found) if found.find("table") else []


def test_the_tutorials_call_and_its_real_header(client):
    response = lab_set(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/lab"
    cookie = lab_header(response)
    assert (cookie.name, cookie.value) == ("lab_flavour", "oat")
    assert set(cookie.attrs) == {"expires", "max-age", "path", "samesite"}
    assert cookie.max_age == 15 and cookie.attrs["path"] == "/lab"
    assert cookie.attrs["samesite"] == "Lax"
    assert abs((cookie.expires - datetime.now(UTC)).total_seconds() - 15) < 3
    header = response.headers.getlist("Set-Cookie")[0]

    shown = outcome(client.get("/lab"))
    assert (
        'response.set_cookie("lab_flavour", "oat", max_age=15, path="/lab",'
        ' samesite="Lax")' in shown
    )
    assert f"Set-Cookie: {header}" in shown
    assert "Max-Age=15: the browser keeps the cookie 15 seconds from now" in shown
    assert "Sent back: your browser kept lab_flavour" in shown


@pytest.mark.parametrize(
    ("fields", "call", "attrs"),
    [
        ({"httponly": "y"}, "httponly=True", {"httponly": True}),
        ({"secure": "y"}, "secure=True", {"secure": True}),
        ({"samesite": "Strict"}, 'samesite="Strict"', {"samesite": "Strict"}),
        ({"samesite": "None"}, 'samesite="None"', {"samesite": "None"}),
        ({"samesite": ""}, "", {}),
        ({"path": "/lab/inside"}, 'path="/lab/inside"', {"path": "/lab/inside"}),
        ({"domain": "localhost"}, 'domain="localhost"', {"domain": "localhost"}),
        ({"max_age": ""}, "", {}),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else None,
)
def test_each_parameter_reaches_the_header(client, fields, call, attrs):
    response = lab_set(client, **fields)
    cookie = lab_header(response)
    expected = {"path": "/lab", "samesite": "Lax", **attrs}
    if fields.get("samesite") == "":
        del expected["samesite"]
    lifetime = {"max-age", "expires"} if "max_age" not in fields else set()
    assert set(cookie.attrs) == set(expected) | lifetime
    for name, value in expected.items():
        assert cookie.attrs[name] == value, name
    assert call in outcome(client.get(expected["path"]))


def test_expires_in_the_future_sets_a_date_and_no_max_age(client):
    when = (datetime.now(UTC) + timedelta(days=30)).replace(second=0, microsecond=0)
    response = lab_set(client, max_age="", expires=when.strftime("%Y-%m-%dT%H:%M"))
    cookie = lab_header(response)
    assert cookie.expires == when
    assert "max-age" not in cookie.attrs
    call = f"expires=datetime({when.year}, {when.month}, {when.day}, {when.hour},"
    assert f"{call} {when.minute}, tzinfo=UTC)" in outcome(client.get("/lab"))


def test_expires_in_the_past_deletes(client):
    lab_set(client, max_age="3600")
    assert client.get_cookie("lab_flavour", path="/lab") is not None
    response = lab_set(client, max_age="", expires="2000-01-01T00:00")
    cookie = lab_header(response)
    assert cookie.expires.year == 2000 and "max-age" not in cookie.attrs
    # A browser drops it on reading that date (the test client does not).
    client.delete_cookie("lab_flavour", path="/lab")
    shown = outcome(client.get("/lab"))
    assert "It sent a deletion of lab_flavour" in shown
    assert "a date in the past: the browser deletes the cookie now" in shown
    assert "Deleted: your browser no longer sends lab_flavour." in shown


def test_max_age_zero_deletes(client):
    lab_set(client)
    cookie = lab_header(lab_set(client, max_age="0"))
    assert cookie.max_age == 0
    assert client.get_cookie("lab_flavour", path="/lab") is None


def test_update_keeps_name_and_path_and_the_page_says_so(client):
    lab_set(client, path="/lab/inside", value="oat")
    # Update fills in the form with the cookie's name, value and path.
    form = page(client.get("/lab/inside?update=lab_flavour&path=/lab/inside"))
    assert one(form, "input#name")["value"] == "flavour"
    assert one(form, "input#value")["value"] == "oat"
    assert one(form, "input#path")["value"] == "/lab/inside"

    cookie = lab_header(lab_set(client, path="/lab/inside", value="rye"))
    assert (cookie.value, cookie.attrs["path"]) == ("rye", "/lab/inside")
    response = client.get("/lab/inside")
    assert "It updated lab_flavour" in outcome(response)
    assert [(r["Name"], r["Value"]) for r in sent_rows(response)] == [
        ("lab_flavour", "rye")
    ]


def test_delete_at_the_cookies_path_removes_it(client):
    lab_set(client, path="/lab/inside")
    response = client.post(
        "/lab/delete",
        data={"name": "lab_flavour", "path": "/lab/inside", "next": "/lab/inside"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/lab/inside"
    cookie = lab_header(response)
    assert cookie.is_deletion and cookie.expires.year == 1970
    assert cookie.attrs["path"] == "/lab/inside"
    assert client.get_cookie("lab_flavour", path="/lab/inside") is None
    shown = outcome(client.get("/lab/inside"))
    assert 'response.delete_cookie("lab_flavour", path="/lab/inside")' in shown
    assert "Deleted: your browser no longer sends lab_flavour." in shown


def test_delete_at_another_path_leaves_the_cookie_and_the_page_says_so(client):
    lab_set(client, path="/lab")
    response = client.post(
        "/lab/delete", data={"name": "lab_flavour", "path": "/lab/inside"}
    )
    assert lab_header(response).attrs["path"] == "/lab/inside"
    assert client.get_cookie("lab_flavour", path="/lab").value == "oat"
    shown = outcome(client.get("/lab"))
    assert "Still here: your browser still sent lab_flavour" in shown
    assert "most likely has Path=/lab" in shown


def test_a_deletion_for_another_path_is_checked_there(client):
    lab_set(client, path="/lab/inside")
    client.post("/lab/delete", data={"name": "lab_flavour", "path": "/lab/inside"})
    shown = outcome(client.get("/lab"))
    assert "would not come to this page anyway: open /lab/inside" in shown
    assert "Deleted" in outcome(client.get("/lab/inside"))


def test_a_refused_update_is_not_mistaken_for_the_old_cookie(client):
    lab_set(client, "http://lab.test", value="old")
    lab_set(client, "http://lab.test", value="new", secure="y")
    # Chromium refuses the Secure one on lab.test and keeps the old cookie.
    client.set_cookie("lab_flavour", "old", domain="lab.test", path="/lab")
    response = client.get("/lab", base_url="http://lab.test")
    assert [r["Value"] for r in sent_rows(response)] == ["old"]
    assert "Refused: your browser did not keep lab_flavour" in outcome(response)


def test_a_path_cookie_is_sent_inside_its_path_only(client):
    lab_set(client, path="/lab/inside")
    outside = client.get("/lab")
    assert sent_rows(outside) == []
    assert "Not sent to this page, as it should be" in outcome(outside)
    inside = client.get("/lab/inside")
    assert [r["Name"] for r in sent_rows(inside)] == ["lab_flavour"]
    assert "Sent back" in outcome(inside)


def test_a_short_max_age_gets_a_countdown_then_reads_as_expired(client):
    lab_set(client, max_age="15")
    timer = one(page(client.get("/lab")), "#lab-countdown")
    assert 0 < float(timer["data-lab-seconds"]) <= 15
    # Twenty seconds later, as far as the lab and the browser are concerned.
    with client.session_transaction() as session:
        lab = session["lab"]
        lab["last"]["at"] -= 20
        session["lab"] = lab
    client.delete_cookie("lab_flavour", path="/lab")
    response = client.get("/lab")
    assert not page(response).select("#lab-countdown")
    assert "Gone: its Max-Age of 15 seconds has passed" in outcome(response)


def test_a_long_max_age_gets_no_countdown(client):
    lab_set(client, max_age="3600")
    assert not page(client.get("/lab")).select("#lab-countdown")


@pytest.mark.parametrize(
    ("fields", "base_url", "says"),
    [
        ({"samesite": "None"}, "http://localhost", "SameSite=None without Secure"),
        ({"secure": "y"}, "http://lab.test", "came from a page over plain HTTP"),
        ({"secure": "y"}, "http://localhost", "none of the usual rules explains it"),
    ],
)
def test_a_cookie_that_did_not_come_back_is_explained(client, fields, base_url, says):
    lab_set(client, base_url, **fields)
    # The browser refused it (the test client keeps everything).
    client.delete_cookie("lab_flavour", domain=base_url.split("//")[1], path="/lab")
    assert says in outcome(client.get("/lab", base_url=base_url))


# -- the sandbox ---------------------------------------------------------------

NAME_RULE = "Use at most 30 letters, digits, - and _"
SITE_NAME = "is the name of one of the site's own cookies"
VALUE_RULE = "Use printable ASCII without spaces, quotes, commas, semicolons"
PATH_RULE = "Use /lab or a path below it"
DOMAIN_RULE = "Leave it empty, or give this site's own host name, localhost"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Give the cookie a name"),
        ("name", "session", SITE_NAME),
        ("name", "Theme", SITE_NAME),
        ("name", "remember", SITE_NAME),
        ("name", "lab_flavour", "Leave out lab_: the site puts it in front"),
        ("name", "LAB_flavour", "Leave out lab_"),
        ("name", "__Host-session", NAME_RULE),
        ("name", "a b", NAME_RULE),
        ("name", "a;b", NAME_RULE),
        ("name", "a=b", NAME_RULE),
        ("name", "a\x00b", NAME_RULE),
        ("name", "a\tb", NAME_RULE),
        ("name", "caf\u00e9", NAME_RULE),
        ("name", "x" * 31, NAME_RULE),
        ("value", "a;b", VALUE_RULE),
        ("value", "a b", VALUE_RULE),
        ("value", "a,b", VALUE_RULE),
        ("value", 'a"b', VALUE_RULE),
        ("value", "a\\b", VALUE_RULE),
        ("value", "a\x07b", VALUE_RULE),
        ("value", "a\r\nSet-Cookie: session=x", VALUE_RULE),
        ("value", "caf\u00e9", VALUE_RULE),
        ("value", "v" * (LAB.max_bytes - len("lab_flavour") + 1), "201 bytes together"),
        ("path", "", "Give a path: /lab or one below it."),
        ("path", "/", PATH_RULE),
        ("path", "/laboratory", PATH_RULE),
        ("path", "/lab/", PATH_RULE),
        ("path", "/lab/..", PATH_RULE),
        ("path", "/lab/../", PATH_RULE),
        ("path", "/lab/../admin", PATH_RULE),
        ("path", "/lab/./x", PATH_RULE),
        ("path", "/lab//x", PATH_RULE),
        ("path", "/LAB", PATH_RULE),
        ("path", "lab", PATH_RULE),
        ("path", "/lab;x", PATH_RULE),
        ("path", "/lab/x%2F..", PATH_RULE),
        ("path", "/lab/" + "x" * 50, PATH_RULE),
        ("domain", "evil.example", DOMAIN_RULE),
        ("domain", "localhost.evil.example", DOMAIN_RULE),
        ("domain", ".localhost", DOMAIN_RULE),
        ("domain", "example.com", DOMAIN_RULE),
        ("max_age", "-1", "Give 0 (delete at once) to 34560000 seconds"),
        ("max_age", "34560001", "Give 0 (delete at once) to 34560000 seconds"),
        ("max_age", "soon", "Not a valid integer value."),
        ("expires", "9999-01-01T00:00", "Choose a date from 1970 to 400 days from now"),
        ("expires", "1969-12-31T23:59", "Choose a date from 1970"),
        ("expires", "tomorrow", "Not a valid datetime value."),
        ("samesite", "Sometimes", "Not a valid choice."),
    ],
)
def test_bad_input_gets_422_with_the_fields_message_and_sets_nothing(
    client, field, typed, message
):
    client.get("/lab")  # the session (with its form token) exists already
    response = lab_set(client, **{field: typed})
    assert response.status_code == 422
    assert response.headers.getlist("Set-Cookie") == []
    assert message in text(one(page(response), f"#{field}-error"))
    assert "Nothing was set" in text(section(page(response), "Set a cookie"))
    assert client.get_cookie("lab_flavour", path="/lab") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "session", "path": "/lab"}, "That is not the name of a lab cookie."),
        ({"name": "theme", "path": "/"}, "That is not the name of a lab cookie."),
        ({"name": "lab_flavour", "path": "/"}, PATH_RULE),
        ({"name": "lab_flavour", "path": "/laboratory"}, PATH_RULE),
        ({"name": "lab_flavour", "path": "/lab", "domain": "evil.example"}, "Leave"),
    ],
)
def test_a_deletion_outside_the_lab_is_refused(client, auth, fields, message):
    auth.login()
    client.get("/lab")
    response = client.post("/lab/delete", data=fields)
    assert response.status_code == 422
    assert response.headers.getlist("Set-Cookie") == []
    assert message in text(section(page(response), "Lab cookies your browser sent"))
    assert client.get("/account").status_code == 200  # still logged in


def test_an_eleventh_cookie_is_refused_until_one_is_deleted(client):
    for n in range(LAB.max_cookies):
        path = "/lab" if n % 2 else "/lab/inside"
        assert lab_set(client, name=f"c{n}", path=path).status_code == 303
    client.get("/lab")  # where the browser is sent, and the form is pressed
    response = lab_set(client, name="eleventh")
    assert response.status_code == 422
    assert response.headers.getlist("Set-Cookie") == []
    assert "already holds 10 lab cookies" in text(one(page(response), "#name-error"))
    # Updating one of the ten is fine; after a deletion there is room again.
    assert lab_set(client, name="c1", value="new").status_code == 303
    client.post("/lab/delete", data={"name": "lab_c0", "path": "/lab/inside"})
    assert lab_set(client, name="eleventh").status_code == 303


def test_a_cookie_the_browser_did_not_keep_stops_counting(client):
    for n in range(LAB.max_cookies):
        lab_set(client, name=f"c{n}")
    # The browser refused or dropped one; the next lab page it opens shows it.
    client.delete_cookie("lab_c0", path="/lab")
    client.get("/lab")
    assert lab_set(client, name="eleventh").status_code == 303


def test_ten_of_the_largest_lab_cookies_keep_the_session_cookie_small(client):
    name = "n" * LAB.max_name
    value = "v" * (LAB.max_bytes - len(LAB.prefix) - LAB.max_name)
    path = "/lab/" + "p" * (LAB.max_path - len("/lab/") - 1)
    for n in range(LAB.max_cookies):
        lab_set(client, name=f"{name[:-1]}{n}", value=value, path=path)
    session = client.get_cookie("session")
    assert len(client.get_cookie(f"lab_{name[:-1]}9", path=path).value) == len(value)
    assert len("session") + len(session.value) < 4096


@pytest.mark.parametrize("path", ["/lab", "/lab/delete"])
@pytest.mark.parametrize(
    "body",
    [
        {"json": {"name": "flavour", "value": "oat", "path": "/lab"}},
        {"json": {"name": ["a", "b"], "value": {"x": 1}, "path": None}},
        {"json": [1, 2, 3]},
        {"data": b"{not json", "content_type": "application/json"},
        {"data": {"name": "flavour", "value": "oat", "path": "/lab", "_": (b"x", "f")}},
        {"data": b"name=flavour", "content_type": "multipart/form-data"},
        {"data": b"name=flavour&path=/lab", "content_type": "text/plain"},
    ],
)
def test_json_and_multipart_bodies_get_4xx(client, path, body):
    response = client.post(path, **body)
    assert 400 <= response.status_code < 500
    assert response.headers.getlist("Set-Cookie") == [] or all(
        not h.startswith("lab_") for h in response.headers.getlist("Set-Cookie")
    )


@pytest.mark.parametrize("address", ["/lab/", "/laboratory", "/lab/a.b", "/lab/x/"])
def test_only_lab_paths_have_pages(client, address):
    assert client.get(address).status_code == 404


def test_the_lab_page_has_every_field_and_no_inline_script_or_style(client):
    response = client.get("/lab")
    form = section(page(response), "Set a cookie")
    labels = [text(label) for label in form.find_all("label")]
    assert labels == [
        "Name", "Value", "Max-Age", "Expires", "Path", "Domain", "Secure", "HttpOnly",
        "SameSite",
    ]  # fmt: skip
    assert [o.get("value") for o in form.select("select option")] == [
        "Lax", "Strict", "None", "",
    ]  # fmt: skip
    assert text(one(form, "button[type=submit]")) == "Set cookie"
    html = page(response)
    assert all(script.get("src") for script in html.find_all("script"))
    assert "/static/js/lab.js?v=" in str(html.find_all("script"))
    assert not html.select("[style]") and not html.find_all("style")


def test_the_cookie_policy_explains_the_lab_from_its_declaration(client):
    lab = text(section(page(client.get("/cookies")), "lab"))
    assert f"Cookies you make yourself. {LAB.purpose}" in lab
    assert f"{LAB.prefix} followed by the name you type" in lab
    assert f"{LAB.path} or a path below it" in lab
    assert f"At most {LAB.max_cookies} at a time" in lab
    assert f"{LAB.max_bytes} bytes of name and value" in lab
    assert f"up to {LAB.max_lifetime.days} days" in lab


# -- the Set-Cookie audit holds lab cookies to the lab's rules ----------------


@pytest.mark.parametrize(
    ("header", "host", "problem"),
    [
        ("lab_a=1; Path=/lab/x", "localhost", None),
        ("lab_a=1; Path=/lab; Domain=localhost", "localhost:5000", None),
        ("lab_a=1; Path=/", "localhost", "is not under /lab"),
        ("lab_a=1; Path=/laboratory", "localhost", "is not under /lab"),
        ("lab_a=1; Path=/lab/../admin", "localhost", "segment"),
        ("lab_a=1", "localhost", "is not under /lab"),
        ("lab_a=1; Path=/lab; Domain=evil.example", "localhost", "Domain"),
        ("lab_a=1; Path=/lab; Domain=localhost", None, "Domain"),
        (f"lab_a={'v' * 196}; Path=/lab", "localhost", "over the lab's 200"),
        ("lab_=1; Path=/lab", "localhost", "a name of the lab's"),
        ("lab_a=1; Path=/lab; Max-Age=34560001", "localhost", "over 400 days"),
        ("flavour=oat; Path=/lab", "localhost", "not HttpOnly"),
    ],
)
def test_the_audit_checks_lab_cookies_by_the_labs_rules(
    audit_rules, header, host, problem
):
    problems = audit_rules(header, host)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_the_home_tour_links_to_a_15_second_cookie_in_the_lab(client):
    """The tour's expiring row opens the lab with the form filled in; only
    pressing "Set cookie" sets anything."""
    tour = page(client.get("/")).find(
        "section", attrs={"aria-labelledby": "tour-heading"}
    )
    (link,) = [a for a in tour.find_all("a") if "15 seconds" in text(a)]
    response = client.get(link["href"])
    assert response.status_code == 200
    assert not [c for c in set_cookies(response) if c.startswith("lab_")]
    form = page(response)
    assert form.find("input", attrs={"name": "max_age"})["value"] == "15"
    assert form.find("input", attrs={"name": "name"})["value"] == "countdown"
