"""Static files: versioned URLs, cached for a year; the page stays small."""

import hashlib
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"', page)


def test_page_assets_carry_the_file_hash(client):
    urls = asset_urls(client.get("/").data.decode())
    assert any("bootstrap.min.css" in u for u in urls)
    site_css = next(u for u in urls if u.startswith("/static/css/site.css"))
    digest = hashlib.sha256((STATIC / "css/site.css").read_bytes()).hexdigest()[:12]
    assert site_css == f"/static/css/site.css?v={digest}"
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url


def test_versioned_assets_are_immutable_for_a_year(client):
    for url in asset_urls(client.get("/").data.decode()):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        cache = response.cache_control
        assert cache.public and cache.immutable and cache.max_age == 31536000, url
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_unversioned_or_stale_urls_are_not_cached_forever(client, query):
    response = client.get(f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert not response.cache_control.immutable


def test_home_page_html_stays_under_15_kb(client, auth):
    assert len(client.get("/").data) < 15 * 1024
    auth.login()
    assert len(client.get("/").data) < 15 * 1024
