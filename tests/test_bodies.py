"""What a request's body may be: a plain HTML form, no larger than
``MAX_CONTENT_LENGTH``, however it is sent.

Every form of the site is a plain HTML form. Flask-WTF would read a JSON or
multipart body as form data too, with numbers, lists or files where a field
expects text, so any other kind of body is refused with 415 before a view
runs. A chunked body (``Transfer-Encoding: chunked``) has no
``Content-Length``; one over the limit gets 413 like any other, under the
test client and under gunicorn, and nothing of it is processed.
"""

import http.client
import io
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
from flask_login import current_user

from cookiesite.models import User

from cookies_helpers import parse
from html_helpers import csrf_token
from html_helpers import one
from html_helpers import text
from support import assert_clean_log
from support import checksum
from support import login_records
from support import PASSWORD
from support import serve_with_gunicorn

#: A plain HTML form's Content-Type: the one kind of body the forms take.
FORM = "application/x-www-form-urlencoded"

#: A password the signup's strength check takes.
STRONG = "oat crumble harbour lantern 42"

#: What the 415 page says the address takes.
ONLY_FORMS = "This address takes only what the forms of this site's pages send"

#: Every field of the forms that crashed, each with a number where text goes
#: (the account page's fields carry their form's prefix).
NUMBERS = {
    "username": 5,
    "password": 5,
    "confirm": 5,
    "password-current": 5,
    "password-new": 5,
    "password-confirm": 5,
    "delete-password": 5,
    "theme": 5,
    "next": 5,
}

#: The forms that answered such a body with a 500, and whether they are
#: posted logged in.
CRASHED = [
    ("/login", False),
    ("/signup", False),
    ("/preferences/theme", False),
    ("/preferences/theme", True),
    ("/account/password", True),
    ("/account/delete", True),
]


def post_routes(app):
    """Every URL that takes a POST, with ``1`` for an id it needs."""
    adapter = app.url_map.bind("localhost")
    return sorted(
        adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1), method="POST")
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
    )


def assert_refused_as_not_a_form(app, response, before):
    """415 on the site's error page, saying what the address takes; no change."""
    assert response.status_code == 415
    assert ONLY_FORMS in text(one(response, "main"))
    assert checksum(app) == before


def signup_body(username, filler=0):
    """A signup form for ``username``, padded with ``filler`` bytes in a
    field no form reads; the padding goes last, so the form is whole
    in the first bytes of the body."""
    fields = {"username": username, "password": STRONG, "confirm": STRONG}
    return urlencode({**fields, "padding": "p" * filler}).encode()


def user_exists(app, username) -> bool:
    with app.app_context():
        return User.by_username(username) is not None


# -- 415: only plain HTML forms ------------------------------------------------


@pytest.mark.parametrize(("path", "logged_in"), CRASHED)
@pytest.mark.parametrize(
    "body",
    [
        {"json": NUMBERS},
        {"json": {name: [1, {"x": None}] for name in NUMBERS}},
        {"json": {name: True for name in NUMBERS}},
        {"data": dict.fromkeys(NUMBERS, b"\x89PNG")},
    ],
    ids=["numbers", "lists-and-objects", "booleans", "files"],
)
def test_json_and_multipart_bodies_get_415_and_change_nothing(
    app, client, auth, path, logged_in, body
):
    if logged_in:
        auth.login()
    if "data" in body:
        # Files, made afresh: a test client reads each one once.
        files = {
            name: (io.BytesIO(data), "a.png") for name, data in body["data"].items()
        }
        body = {"data": files}
    before = checksum(app)
    with client:
        response = client.post(path, **body)
        assert_refused_as_not_a_form(app, response, before)
        assert current_user.is_authenticated == logged_in


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "multipart/form-data; boundary=x",
        "text/plain",
        "application/xml",
        "text/xml",
        "application/octet-stream",
        "application/x-unknown",
        "not a type",
        ";",
        f"{FORM}; charset=latin-1",
        f"{FORM}; charset=utf-16",
        f"{FORM}; charset=utf-8; boundary=x",
        f"{FORM}, application/json",
    ],
)
def test_every_post_refuses_every_other_kind_of_body(app, client, auth, content_type):
    auth.login("admin")
    body = urlencode({"username": "member", "password": PASSWORD, "next": "/"})
    urls = post_routes(app)
    assert {"/login", "/signup", "/lab", "/account/delete"} <= set(urls)
    for url in urls:
        before = checksum(app)
        response = client.post(url, data=body, content_type=content_type)
        assert_refused_as_not_a_form(app, response, before)


def test_a_body_without_content_type_is_refused(app, client):
    before = checksum(app)
    response = client.post("/login", data=b"username=member&password=x")
    assert_refused_as_not_a_form(app, response, before)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_with_a_body_are_refused_before_routing(app, client, method):
    before = checksum(app)
    response = client.open("/login", method=method, json={"username": 5})
    assert_refused_as_not_a_form(app, response, before)
    # Without a body, the address itself answers: it takes no such method.
    assert client.open("/login", method=method).status_code == 405


@pytest.mark.parametrize(
    "content_type",
    [
        FORM,
        f"{FORM}; charset=utf-8",
        f'{FORM}; charset="UTF-8"',
        "Application/X-WWW-Form-URLEncoded",
    ],
)
def test_plain_forms_are_taken_in_every_spelling(client, content_type):
    body = urlencode({"username": "member", "password": PASSWORD})
    response = client.post("/login", data=body, content_type=content_type)
    assert response.status_code == 303


def test_a_post_with_no_body_at_all_reaches_the_form(client, auth):
    # The login form's own checks refuse it: nobody is named.
    assert client.post("/login").status_code == 422
    # A form with no fields is a whole form: logout is one.
    auth.login()
    assert client.post("/logout").status_code == 303


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_with_csrf_on_a_json_body_with_a_valid_token_is_refused_too(app, client):
    """In production the CSRF check runs first; a script that sends the
    token in a header passes it, and then meets the 415."""
    token = csrf_token(client.get("/signup"))
    before = checksum(app)
    body = {"username": "json", "password": STRONG, "confirm": STRONG}
    response = client.post("/signup", json=body, headers={"X-CSRFToken": token})
    assert_refused_as_not_a_form(app, response, before)
    assert not user_exists(app, "json")


# -- 413: chunked bodies over the limit ----------------------------------------


def post_chunked(client, path, body, **kwargs):
    """``body`` as a chunked request, the way a WSGI server that takes them
    (gunicorn, Werkzeug's) hands it on: no ``Content-Length``, and
    ``wsgi.input_terminated`` set to say the stream ends with the body."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=FORM,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
        **kwargs,
    )


def test_a_chunked_signup_over_the_limit_gets_413_and_signs_nobody_up(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = signup_body("chunky", filler=limit)
    assert len(body) > limit
    before = checksum(app)
    response = post_chunked(client, "/signup", body)
    assert response.status_code == 413
    assert "larger than this site accepts" in text(one(response, "main"))
    assert checksum(app) == before
    assert not user_exists(app, "chunky")


def test_a_chunked_form_under_the_limit_is_processed(app, client):
    with client:
        form = {"username": "member", "password": PASSWORD}
        response = post_chunked(client, "/login", urlencode(form).encode())
        assert response.status_code == 303
        assert current_user.username == "member"
    body = signup_body("chunky", filler=1000)
    # Signing up takes a browser where nobody is logged in.
    assert post_chunked(app.test_client(), "/signup", body).status_code == 303
    assert user_exists(app, "chunky")


@pytest.mark.parametrize(
    ("size", "code"),
    [(-1, 303), (0, 413), (1, 413), (10_000, 413)],
    ids=["limit-1", "limit", "limit+1", "limit+10000"],
)
def test_chunked_bodies_up_to_the_limit_and_no_further(app, client, size, code):
    """A stream that stopped at the limit cannot tell a body that ends there
    from one that goes on, so a chunked body must stay under the limit."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    form = signup_body("edge")
    body = signup_body("edge", filler=limit + size - len(form))
    assert len(body) == limit + size
    assert post_chunked(client, "/signup", body).status_code == code
    assert user_exists(app, "edge") == (code == 303)


# -- the same under a real server ----------------------------------------------


class Visitor:
    """One browser speaking HTTP/1.1 through :mod:`http.client`, which can
    send a body chunked; its cookies are kept by name, and every
    ``Set-Cookie`` it receives goes to the cookie audit."""

    def __init__(self, base, seen):
        address = urlsplit(base)
        self.host, self.port = address.hostname, address.port
        self.seen = seen
        self.cookies = {}

    def request(self, method, path, body=None, chunked=False):
        """``(status, page text)``. A chunked body goes in pieces of 8 KiB."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = FORM
        payload = body
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
            payload = (body[n : n + 8192] for n in range(0, len(body), 8192))
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(
                method, path, body=payload, headers=headers, encode_chunked=chunked
            )
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.seen.append(header)
                cookie = parse(header)
                self.cookies[cookie.name] = cookie.value
            return response.status, response.read().decode()
        finally:
            connection.close()

    def form(self, path, fields, filler=0, chunked=True):
        """Send the form on ``path`` with its CSRF token, ``filler`` bytes
        of padding after the fields."""
        status, html = self.request("GET", path)
        assert status == 200
        fields = {"csrf_token": csrf_token(html), **fields}
        body = urlencode({**fields, "padding": "p" * filler}).encode()
        return self.request("POST", path, body, chunked=chunked)


@pytest.fixture
def served(app, database_url, tmp_path):
    """The test's site under gunicorn (one worker, two threads), CSRF on;
    yields its base URL and its log."""
    log = tmp_path / "gunicorn.log"
    with serve_with_gunicorn(database_url, log, threads=2) as base:
        yield base, log


def test_under_gunicorn_a_chunked_body_over_the_limit_gets_413(
    app, served, set_cookie_audit
):
    base, log = served
    limit = app.config["MAX_CONTENT_LENGTH"]
    visitor = Visitor(base, set_cookie_audit)
    fields = {"username": "chunky", "password": STRONG, "confirm": STRONG}
    before = checksum(app)
    status, html = visitor.form("/signup", fields, filler=limit)
    assert status == 413, html
    assert "larger than this site accepts" in html
    assert not user_exists(app, "chunky")
    assert checksum(app) == before
    # The same signup, small enough, goes through chunked: only the size
    # was refused.
    assert visitor.form("/signup", fields, filler=1000)[0] == 303
    assert user_exists(app, "chunky")
    assert_clean_log(log)


def test_under_gunicorn_a_chunked_login_under_the_limit_logs_in(
    app, served, set_cookie_audit
):
    base, log = served
    visitor = Visitor(base, set_cookie_audit)
    fields = {"username": "member", "password": PASSWORD}
    assert visitor.form("/login", fields)[0] == 303
    status, html = visitor.request("GET", "/account")
    assert status == 200
    assert "Logged in as member" in text(one(html, "main"))
    assert len(login_records(app, "member")) == 1
    assert_clean_log(log)
