"""Bad input never gives a 5xx, and a refused request changes nothing.

Named cases first (malformed and oversized cookies and forms, bytes that are
not UTF-8, tampered cookies, huge credentials), then Hypothesis throwing
random forms, query strings and Cookie headers at every route of
``app.url_map``. A 4xx answer must leave every table as it was.
"""

import io
import json
import re
from urllib.parse import quote_from_bytes

import pytest
from flask_login import current_user
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from cookiesite import cookies

from html_helpers import csrf_token
from html_helpers import one
from html_helpers import page
from html_helpers import text
from support import add_user
from support import checksum
from support import make_app
from support import PASSWORD

#: A plain HTML form's Content-Type: the one kind of body the forms take.
FORM = "application/x-www-form-urlencoded"

#: High limits: the fuzzing is not about throttling (tests/test_throttle.py is).
UNTHROTTLED = {
    "LOGIN_LIMIT_PER_CLIENT": "100000 per minute",
    "LOGIN_LIMIT_PER_USERNAME": "100000 per minute",
    "SIGNUP_LIMIT_PER_CLIENT": "100000 per minute",
}
unthrottled = pytest.mark.parametrize("app_config", [UNTHROTTLED])

#: Few examples and no deadline: the whole suite must stay quick.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def routes(app, method):
    """Every rule that answers ``method``, with its arguments' converters."""
    found = []
    for rule in app.url_map.iter_rules():
        if method in rule.methods:
            converters = {
                m["name"]: m["converter"] or "default"
                for m in _ARGUMENT.finditer(rule.rule)
            }
            found.append((rule, converters))
    return sorted(found, key=lambda pair: pair[0].rule)


def build(app, rule, values):
    """The URL of ``rule`` with ``values`` for its arguments."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method=next(iter(rule.methods)))


#: The elements that send a named value with their form.
FIELDS = ["input", "select", "textarea", "button"]


def simple_url(app, rule, converters):
    """The URL of ``rule`` with a plausible value for each argument."""
    values = {
        name: 1 if kind == "int" else "css/site.css" if kind == "path" else "x"
        for name, kind in converters.items()
    }
    return build(app, rule, values)


def field_names(app, client) -> list[str]:
    """Every field name of every page's forms, so the fuzzing reaches them."""
    names = {"next", "username", "password"}
    for rule, converters in routes(app, "GET"):
        if not converters:
            fields = page(client.get(rule.rule)).find_all(FIELDS, attrs={"name": True})
            names |= {field["name"] for field in fields if field["name"]}
    return sorted(names)


def log_in(client, username):
    """Log ``client`` in through the form."""
    data = {"username": username, "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 303


@pytest.fixture
def quick_accounts(app):
    """Accounts whose password hash is quick to check, to log in per example.

    The fuzzing logs in afresh for each example; scrypt would make that slow.
    """
    quick = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    add_user(app, "quick-member", quick)
    add_user(app, "quick-admin", quick, is_admin=True)


def form_body(fields) -> bytes:
    """``application/x-www-form-urlencoded`` from raw bytes, UTF-8 or not."""
    return b"&".join(
        quote_from_bytes(key).encode() + b"=" + quote_from_bytes(value).encode()
        for key, value in fields
    )


def assert_refusal_changed_nothing(app, response, before, what):
    assert response.status_code < 500, what
    if 400 <= response.status_code < 500:
        assert checksum(app) == before, f"{response.status} changed the data: {what}"


# -- named cases ---------------------------------------------------------------

MALFORMED_COOKIE_HEADERS = [
    "",
    ";;;",
    "=",
    "=value",
    "session",
    "session=",
    'session="unterminated',
    "session=a=b=c; theme",
    "theme=dark; theme=light; theme=purple",
    "a=\x01\x02\x7f",
    "\xff\xfe=\xfd",
    "theme=\xe9t\xe9",
    "remember=" + "f" * 43 + "." + "A" * 43,
    "consent=" + "1.accept" * 600,
    "x=" + "y" * 10_000,
    "; ".join(f"c{n}=v{n}" for n in range(500)),
    "session=eyJfdXNlcl9pZCI6IjEifQ.tampered.signature",
    "__Host-session=x; __Secure-visitor=y; __Host-=z",
]


@pytest.mark.parametrize("header", MALFORMED_COOKIE_HEADERS)
def test_malformed_cookie_headers_never_break_a_page(app, header):
    client = app.test_client()
    for rule, converters in routes(app, "GET"):
        url = simple_url(app, rule, converters)
        with client:
            response = client.get(url, environ_overrides={"HTTP_COOKIE": header})
            assert response.status_code < 500, url
            assert not current_user.is_authenticated, url


def forged_session(app):
    """A session cookie signed with some other key, claiming to be logged in."""
    other = make_app("sqlite://", SECRET_KEY="someone else's key")
    serializer = other.session_interface.get_signing_serializer(other)
    return serializer.dumps({"_user_id": "1", "_fresh": True})


TAMPERED = {
    "session": [None, "garbage", "e30.Zm9v.YmFy"],
    "remember": ["a" * 43 + "." + "A" * 43, "1.", ".", "\u00e9.zz", "1" * 4000],
    "consent": ["1.maybe", "2.accept", "01.accept", "1.accept.x", "<script>"],
    "theme": ["purple", "DARK", "dark ", "<script>alert(1)</script>", ""],
    "visitor": ["zz", "0" * 31, "0" * 33, "../../etc/passwd", "\u00ff" * 32],
    "visit": ["zz", "F" * 32, "%00", "1" * 4000],
}


@pytest.mark.parametrize("key", sorted(TAMPERED))
def test_tampered_cookies_count_as_absent(app, key):
    values = TAMPERED[key]
    if key == "session":
        values = [forged_session(app), *values[1:]]
    for value in values:
        client = app.test_client()
        # Sent for every path: the /reports cookies are only sent under it.
        client.set_cookie(cookies.cookie_name(key, app), value)
        for rule, converters in routes(app, "GET"):
            url = simple_url(app, rule, converters)
            with client:
                response = client.get(url)
                assert response.status_code < 500, (url, value)
                assert not current_user.is_authenticated, (url, value)
                html = response.status_code == 200 and response.mimetype == "text/html"
                if key == "theme" and html:
                    assert page(response).html["data-bs-theme"] == "light", url


@unthrottled
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_oversized_bodies_get_413_and_change_nothing(app, who):
    client = app.test_client()
    if who == "member":
        log_in(client, "member")
    for rule, converters in routes(app, "POST"):
        url = simple_url(app, rule, converters)
        before = checksum(app)
        response = client.post(url, data={"username": "x", "blob": "p" * 70_000})
        assert response.status_code == 413, url
        assert "larger than this site accepts" in text(one(response, "main")), url
        assert checksum(app) == before, url


@unthrottled
@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_ids_too_large_for_the_database_get_404(app, quick_accounts, number):
    client = app.test_client()
    log_in(client, "quick-admin")
    with_ids = [
        (method, rule, converters)
        for method in ("GET", "POST")
        for rule, converters in routes(app, method)
        if "int" in converters.values()
    ]
    assert with_ids, "no route takes an <int:...> any more: drop this test"
    for method, rule, converters in with_ids:
        values = {name: number for name in converters}
        url = build(app, rule, values)
        assert client.open(url, method=method).status_code == 404, url


@unthrottled
def test_bytes_that_are_not_utf8_anywhere(app):
    client = app.test_client()
    log_in(client, "admin")
    junk = "%ff%fe%c3%28%ed%a0%80"
    body = b"username=\xff\xfe&password=\xc3\x28&confirm=%ff&next=/%ed%a0%80&theme=\xe9"
    for method in ("GET", "POST"):
        for rule, converters in routes(app, method):
            url = simple_url(app, rule, converters)
            response = client.open(
                f"{url}?next={junk}&{junk}={junk}",
                method=method,
                data=body if method == "POST" else None,
                content_type=FORM,
                environ_overrides={"HTTP_COOKIE": "theme=\xff\xfe; consent=\xe9"},
            )
            assert response.status_code < 500, (method, url)
    for path in ("/\xff\xfe", "/reports/\xc3\x28", "/static/\xff.css"):
        response = client.get("/", environ_overrides={"PATH_INFO": path})
        assert response.status_code == 404, path


@unthrottled
@pytest.mark.parametrize(
    ("path", "username", "password"),
    [
        ("/login", "member", "x" * 30_000),
        ("/login", "m" * 30_000, PASSWORD),
        ("/signup", "newname", "x" * 30_000),
        ("/signup", "n" * 30_000, PASSWORD),
    ],
)
def test_huge_credentials_are_refused_before_hashing(
    app, client, monkeypatch, path, username, password
):
    import cookiesite.models as models

    calls = []
    monkeypatch.setattr(models, "check_password_hash", lambda *a: calls.append(a))
    monkeypatch.setattr(models, "generate_password_hash", lambda *a: calls.append(a))
    before = checksum(app)
    data = {"username": username, "password": password, "confirm": password}
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert calls == []
    assert checksum(app) == before


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, **UNTHROTTLED}])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_posts_without_csrf_token_are_refused_and_change_nothing(app, who):
    client = app.test_client()
    if who == "admin":
        token = csrf_token(client.get("/login"))
        data = {"username": "admin", "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 303
    for rule, converters in routes(app, "POST"):
        url = simple_url(app, rule, converters)
        before = checksum(app)
        response = client.post(url, data={"username": "x", "password": PASSWORD})
        assert response.status_code == 400, url
        assert checksum(app) == before, url


# -- Hypothesis ----------------------------------------------------------------

#: Text as it can arrive in a WSGI environ: Latin-1 code points, any of them.
latin1 = st.text(st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=60)


def cookie_names(app):
    names = []
    for key in cookies.CATALOGUE:
        names += [key, cookies.cookie_name(key, app), "__Host-" + key]
    return names


@st.composite
def cookie_headers(draw, names):
    """A Cookie header: catalogue names with odd values, or plain junk."""
    if draw(st.booleans()):
        return draw(latin1)
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(names) | latin1,
                latin1 | st.sampled_from(["dark", "auto", "1.accept", "0" * 32]),
            ),
            max_size=6,
        )
    )
    separator = draw(st.sampled_from(["; ", ";", ", ", "&"]))
    return separator.join(f"{name}={value}" for name, value in pairs)


def url_values(converters):
    """Values for a rule's arguments, of the right kind or not."""
    strategies = {}
    for name, kind in converters.items():
        if kind == "int":
            edges = st.sampled_from([0, 1, 2, 2**31 - 1, 2**31, 2**63, 10**30])
            strategies[name] = edges | st.integers(min_value=0, max_value=2**70)
        elif kind == "path":
            strategies[name] = st.text(min_size=1, max_size=30)
        else:
            segment = st.text(st.characters(exclude_characters="/"), min_size=1)
            strategies[name] = segment
    return st.fixed_dictionaries(strategies)


@unthrottled
@FUZZ
@given(data=st.data())
def test_fuzzed_get_requests(app, quick_accounts, data):
    client = app.test_client()
    if data.draw(st.booleans(), label="logged in"):
        log_in(client, "quick-member")
    rule, converters = data.draw(st.sampled_from(routes(app, "GET")), label="route")
    url = build(app, rule, data.draw(url_values(converters), label="values"))
    query = data.draw(st.binary(max_size=40), label="query")
    header = data.draw(cookie_headers(cookie_names(app)), label="Cookie")
    before = checksum(app)
    response = client.get(
        f"{url}?{quote_from_bytes(query, safe='=&')}",
        environ_overrides={"HTTP_COOKIE": header},
    )
    assert_refusal_changed_nothing(app, response, before, (url, query, header))


@pytest.fixture
def form_fields(app, quick_accounts):
    """The field names of every page, as the admin sees them (most forms)."""
    client = app.test_client()
    log_in(client, "quick-admin")
    return [name.encode() for name in field_names(app, client)]


@unthrottled
@FUZZ
@given(data=st.data())
def test_fuzzed_forms(app, form_fields, data):
    client = app.test_client()
    who = data.draw(st.sampled_from(["anonymous", "member", "admin"]), label="who")
    if who != "anonymous":
        log_in(client, f"quick-{who}")
    rule, converters = data.draw(st.sampled_from(routes(app, "POST")), label="route")
    url = build(app, rule, data.draw(url_values(converters), label="values"))
    values = (
        st.binary(max_size=80)
        | st.sampled_from([b"", b"y", b"dark", b"auto", b"accept", b"reject", b"/"])
        | st.integers(-(2**70), 2**70).map(lambda n: str(n).encode())
        | st.integers(1000, 70_000).map(lambda n: b"x" * n)
    )
    keys = st.sampled_from(form_fields) | st.binary(max_size=10)
    fields = data.draw(st.lists(st.tuples(keys, values), max_size=8), label="form")
    before = checksum(app)
    response = client.post(url, data=form_body(fields), content_type=FORM)
    assert_refusal_changed_nothing(app, response, before, (who, url, fields))


# -- bodies that are not forms -------------------------------------------------

#: What a form's POST body (or PUT, PATCH, DELETE) may be refused with: 415
#: for anything but a plain HTML form, 413 for one too large.
BODY_REFUSALS = (413, 415)


def any_route(app):
    """``(method, rule, converters)`` for any method of any route; half of
    them a POST, the method whose body the forms read."""
    methods = set().union(*(rule.methods for rule in app.url_map.iter_rules()))
    every = [
        (method, rule, converters)
        for method in sorted(methods)
        for rule, converters in routes(app, method)
    ]
    posts = [route for route in every if route[0] == "POST"]
    return st.sampled_from(posts) | st.sampled_from(every)


#: One JSON value that is no list or object: every type, with the values the
#: forms know (a theme, a choice, a path), numbers past 64 bits, NaN and the
#: infinities.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["", "y", "dark", "auto", "accept", "reject", "/", PASSWORD])
)

#: A string from a kilobyte to past ``MAX_CONTENT_LENGTH``.
huge_strings = st.integers(1000, 70_000).map(lambda n: "x" * n)


def json_values(keys):
    """Any JSON value, lists and objects nested in each other included."""
    return st.recursive(
        json_scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=12,
    )


#: The Content-Type of a JSON body, as scripts send it (Flask takes each of
#: them for JSON).
JSON_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/vnd.api+json",
]


@pytest.fixture
def form_values(form_fields):
    """A strategy for the fields of a JSON or multipart body, each value
    drawn from ``values(keys)``: every field of the pages' forms, so that
    each form finds its own; or a few fields, of those names or any, where
    a value may also be ``huge`` (one huge value in every field would make
    nearly every body too large to get further than its size)."""
    names = [name.decode() for name in form_fields]
    keys = st.sampled_from(names) | st.text(max_size=10)

    def fields(values, huge):
        every = st.fixed_dictionaries(dict.fromkeys(names, values(keys)))
        return every | st.dictionaries(keys, values(keys) | huge, max_size=4)

    return fields


def draw_request(app, data):
    """A client (anonymous, or a member or admin logged in), a method and
    the URL of a route that answers it."""
    client = app.test_client()
    who = data.draw(st.sampled_from(["anonymous", "member", "admin"]), label="who")
    if who != "anonymous":
        log_in(client, f"quick-{who}")
    method, rule, converters = data.draw(any_route(app), label="route")
    url = build(app, rule, data.draw(url_values(converters), label="values"))
    return client, who, method, url


def assert_body_refused(app, response, method, before, what):
    """No 5xx, nothing in the database changed, and a form's method refused."""
    assert response.status_code < 500, what
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        assert response.status_code in BODY_REFUSALS, what
    assert checksum(app) == before, f"{response.status} changed the data: {what}"


@unthrottled
@FUZZ
@given(data=st.data())
def test_fuzzed_json_bodies(app, form_values, data):
    client, who, method, url = draw_request(app, data)
    # An object of the forms' field names, as a script posting a form as
    # JSON would send, or any value. (Bytes that are no JSON are among the
    # bodies of other kinds, below.)
    fields = form_values(json_values, huge_strings)
    value = data.draw(fields | json_values(st.text(max_size=10)), label="value")
    body = json.dumps(value).encode()
    content_type = data.draw(st.sampled_from(JSON_TYPES), label="Content-Type")
    before = checksum(app)
    response = client.open(url, method=method, data=body, content_type=content_type)
    assert_body_refused(app, response, method, before, (who, method, url, body))


def multipart_values(value):
    """A JSON value as multipart fields' values: a list becomes the field
    repeated, an object or other value its JSON text, a string itself, a
    file (:func:`file_parts`) a file."""
    if isinstance(value, list):
        return [text for item in value for text in multipart_values(item)]
    if isinstance(value, tuple):
        contents, name, kind = value
        return [(io.BytesIO(contents), name, kind)]
    if isinstance(value, str):
        return [value]
    return [json.dumps(value)]


def file_parts(contents):
    """A file part: contents, file name (none, as a browser sends a file
    input left empty, or any) and Content-Type."""
    return st.tuples(
        contents,
        st.sampled_from(["", "a.png"]) | st.text(min_size=1, max_size=20),
        st.sampled_from(["text/plain", "application/octet-stream", "image/png"]),
    )


#: A file from a kilobyte to past ``MAX_CONTENT_LENGTH``, or a huge string.
huge_parts = huge_strings | file_parts(
    st.integers(1000, 70_000).map(lambda n: b"f" * n)
)


def multipart_fields(keys):
    """A field's value in a multipart body: JSON of any kind, or files."""
    values = json_values(keys) | file_parts(st.binary(max_size=200))
    return values | st.lists(values, min_size=2, max_size=3)


@unthrottled
@FUZZ
@given(data=st.data())
def test_fuzzed_multipart_bodies(app, form_values, data):
    client, who, method, url = draw_request(app, data)
    # A list of values repeats the field.
    parts = data.draw(form_values(multipart_fields, huge_parts), label="parts")
    fields = MultiDict(
        (key, item) for key, value in parts.items() for item in multipart_values(value)
    )
    before = checksum(app)
    response = client.open(
        url, method=method, data=fields, content_type="multipart/form-data"
    )
    assert_body_refused(app, response, method, before, (who, method, url, parts))


#: Content-Type headers that are no plain HTML form in UTF-8: other kinds
#: (JSON too, with a body that is none), unknown and malformed ones, a form
#: in another charset or with parameters of another kind.
OTHER_TYPES = [
    *JSON_TYPES,
    "text/plain",
    "text/plain; charset=utf-8",
    "application/xml",
    "text/xml",
    "application/octet-stream",
    "multipart/form-data",
    "multipart/mixed; boundary=x",
    f"{FORM}; charset=latin-1",
    f"{FORM}; charset=utf-16",
    f"{FORM}; charset=utf-8; boundary=x",
    f"{FORM}, application/json",
    "application/x-url-encoded",
    f"{FORM} garbage",
    "x",
    "/",
    ";",
    ";charset=utf-8",
]


@unthrottled
@FUZZ
@given(data=st.data())
def test_fuzzed_bodies_of_other_kinds(app, form_fields, data):
    client, who, method, url = draw_request(app, data)
    # A body the forms would take, were it sent as one, or any bytes; never
    # none at all (with no Content-Type, that is a form's empty POST).
    field = st.tuples(st.sampled_from(form_fields), st.binary(max_size=20))
    form = st.lists(field, min_size=1, max_size=6).map(form_body)
    body = data.draw(form | st.binary(min_size=1, max_size=80), label="body")
    content_type = data.draw(st.sampled_from(OTHER_TYPES) | latin1, label="type")
    before = checksum(app)
    # Straight into the environ: the test client would refuse some of them.
    response = client.open(
        url,
        method=method,
        data=body,
        environ_overrides={"CONTENT_TYPE": content_type},
    )
    what = (who, method, url, content_type, body)
    if content_type.split(";")[0].strip().lower() == FORM:
        # The rare header drawn at random that still names a plain form.
        assert_refusal_changed_nothing(app, response, before, what)
    else:
        assert_body_refused(app, response, method, before, what)
