"""Static files: versioned URLs, cached for a year; the page stays small."""

import hashlib
import re
from pathlib import Path

import pytest

from html_helpers import page

STATIC = Path(__file__).resolve().parent.parent / "static"


def asset_urls(response) -> list[str]:
    """The addresses of the site's own files (styles, scripts, the icon) that
    the page links to or loads, in order."""
    found = []
    for element in page(response).select("[href], [src]"):
        for attribute in ("href", "src"):
            url = element.get(attribute, "")
            if url.startswith(("/static/", "/bootstrap/static/")):
                found.append(url)
    return found


def test_page_assets_carry_the_file_hash(client):
    urls = asset_urls(client.get("/"))
    assert any("bootstrap.min.css" in u for u in urls)
    site_css = next(u for u in urls if u.startswith("/static/css/site.css"))
    digest = hashlib.sha256((STATIC / "css/site.css").read_bytes()).hexdigest()[:12]
    assert site_css == f"/static/css/site.css?v={digest}"
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url


def test_versioned_assets_are_immutable_for_a_year(client):
    urls = asset_urls(client.get("/"))
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.cache_control
        assert cache.public and cache.immutable and cache.max_age == 31536000, url
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_unversioned_or_stale_urls_are_not_cached_forever(client, query):
    response = client.get(f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert not response.cache_control.immutable


def test_home_page_html_stays_under_16_kb(client, auth):
    # 15 KB until the tour gained its header-or-cookie step and the navbar
    # its language switch (1.8 KB together).
    assert len(client.get("/").data) < 16 * 1024
    auth.login()
    assert len(client.get("/").data) < 16 * 1024
