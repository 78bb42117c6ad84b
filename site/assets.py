"""Static files under versioned URLs, cached by browsers for a year.

``url_for("static", filename="css/site.css")`` gives
``/static/css/site.css?v=<hash of the file>``; a response to a request with
the current hash may be kept unchanged for a year (``immutable``), so a
second page load fetches only the document. A new file has a new hash and
hence a new URL. Bootstrap's files (``bootstrap.static``) are treated alike.
"""

import hashlib
from pathlib import Path

from flask import Flask
from flask import request
from flask import Response

#: The endpoints that serve files from a static folder.
STATIC_ENDPOINTS = ("static", "bootstrap.static")

#: A year, the longest cache lifetime that means "forever" to every browser.
ONE_YEAR = 365 * 24 * 3600


def _folder(app: Flask, endpoint: str) -> Path:
    if endpoint == "static":
        return Path(app.static_folder)
    return Path(app.blueprints["bootstrap"].static_folder)


def _version(app: Flask, endpoint: str, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, computed once per file."""
    versions = app.extensions.setdefault("asset_versions", {})
    key = (endpoint, filename)
    if key not in versions:
        path = _folder(app, endpoint) / filename
        try:
            versions[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            versions[key] = None  # a missing file: 404 later, no version now
    return versions[key]


def init_app(app: Flask) -> None:
    """Version static URLs and let browsers cache what carries the version."""

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint in STATIC_ENDPOINTS and "filename" in values:
            version = _version(app, endpoint, values["filename"])
            if version is not None:
                values.setdefault("v", version)

    @app.after_request
    def cache_versioned(response: Response) -> Response:
        if request.endpoint not in STATIC_ENDPOINTS or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") == _version(app, request.endpoint, filename):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
