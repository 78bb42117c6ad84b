"""Static text files go out compressed when the browser asks; pages never do.

Pages carry a CSRF token: compressing them would open them to BREACH
(site/compression.py says how), so every page is checked to go out as is,
whatever ``Accept-Encoding`` asks for.
"""

import gzip
from pathlib import Path

import brotli
import pytest
from flask import url_for

from cookies_helpers import parse
from support import make_app

#: How each encoding the site offers is undone.
DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}

#: Text files of each kind, Bootstrap's and the site's: (endpoint, filename).
FILES = [
    ("bootstrap.static", "css/bootstrap.min.css"),
    ("bootstrap.static", "js/bootstrap.min.js"),
    ("static", "css/site.css"),
    ("static", "js/theme.js"),
]


def on_disk(app, endpoint: str, filename: str) -> bytes:
    """The file as it is in its static folder."""
    if endpoint == "static":
        folder = app.static_folder
    else:
        folder = app.blueprints["bootstrap"].static_folder
    return (Path(folder) / filename).read_bytes()


def versioned(app, endpoint: str, filename: str) -> str:
    """The file's address as pages link to it (with its version)."""
    with app.test_request_context():
        return url_for(endpoint, filename=filename)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize(("endpoint", "filename"), FILES)
def test_static_text_files_come_compressed_and_unpack_to_the_file(
    app, client, endpoint, filename, encoding
):
    url = versioned(app, endpoint, filename)
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert response.vary.as_set() == {"accept-encoding"}
    original = on_disk(app, endpoint, filename)
    assert len(response.data) < len(original)
    assert DECOMPRESS[encoding](response.data) == original
    assert response.cache_control.immutable
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("deflate", None),
        ("identity", None),
        (None, None),
    ],
)
def test_the_encoding_follows_accept_encoding(app, client, accept, chosen):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.get("/static/css/site.css", headers=headers)
    assert response.headers.get("Content-Encoding") == chosen
    # A cache between here and the browser keeps the versions apart.
    assert "Accept-Encoding" in response.vary
    if chosen is None:
        assert response.data == on_disk(app, "static", "css/site.css")


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_compressed_file_the_browser_has_is_not_sent_again(app, client, encoding):
    url = versioned(app, "bootstrap.static", "css/bootstrap.min.css")
    headers = {"Accept-Encoding": encoding}
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    # Each encoding is a representation of its own, with its own ETag.
    assert etag.endswith(f':{encoding}"')
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.cache_control.immutable
    assert "Accept-Encoding" in again.vary


def test_another_encodings_etag_gets_the_whole_file(app, client):
    url = versioned(app, "static", "css/site.css")
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    response = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": gzipped.headers["ETag"]}
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == on_disk(app, "static", "css/site.css")


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize("path", ["/", "/login", "/cookies", "/no-such-page"])
def test_pages_are_never_compressed(client, auth, path, member):
    if member:
        auth.login()
    response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.mimetype == "text/html"
    assert response.data.startswith(b"<!doctype html>")


def test_only_static_files_reach_flask_compress(database_url):
    """A page stays whole even if someone lists text/html among the types."""
    app = make_app(database_url, COMPRESS_MIMETYPES=["text/html", "text/css"])
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Encoding": "br"})
    assert page.mimetype == "text/html"
    assert "Content-Encoding" not in page.headers
    style = client.get("/static/css/site.css", headers={"Accept-Encoding": "br"})
    assert style.headers["Content-Encoding"] == "br"


def test_a_page_with_a_csrf_token_goes_out_as_is(app, client):
    """With CSRF protection on, as on the real site."""
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert b'name="csrf_token"' in response.data
    assert "Content-Encoding" not in response.headers


def test_login_cookies_are_set_as_usual_for_a_browser_that_compresses(client):
    response = client.post(
        "/login",
        data={"username": "member", "password": "correct horse battery"},
        headers={"Accept-Encoding": "br, gzip"},
    )
    assert response.status_code == 303
    assert "Content-Encoding" not in response.headers
    cookies = {c.name: c for c in map(parse, response.headers.getlist("Set-Cookie"))}
    assert cookies["session"].attrs["httponly"] is True


def test_a_part_of_a_file_goes_out_as_it_is(app, client):
    """A range counts the bytes sent: a compressed part would not match it."""
    url = versioned(app, "bootstrap.static", "css/bootstrap.min.css")
    response = client.get(
        url, headers={"Accept-Encoding": "br, gzip", "Range": "bytes=0-9999"}
    )
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    original = on_disk(app, "bootstrap.static", "css/bootstrap.min.css")
    assert response.headers["Content-Range"] == f"bytes 0-9999/{len(original)}"
    assert response.data == original[:10000]
