"""A second page load fetches only the document: the assets are cached."""

from flask import request
from flask import request_started
from playwright.sync_api import Page


def test_second_navigation_fetches_only_the_document(page: Page, live_server):
    """Counted where it matters, at the server: what the browser really fetched."""
    reached = []

    def record(sender, **extra):
        reached.append(request.full_path.rstrip("?"))

    request_started.connect(record, live_server.app)
    try:
        page.goto("/")
        page.wait_for_load_state("networkidle")  # the icon is fetched after load
        assets = [path for path in reached if "/static/" in path]
        assert len(assets) >= 3, reached  # Bootstrap's CSS and JS, the site's CSS
        reached.clear()
        page.goto("/cookies")
        page.wait_for_load_state("networkidle")
    finally:
        request_started.disconnect(record, live_server.app)
    assert reached == ["/cookies"], reached
