"""Static text files (styles, scripts, SVG images) sent compressed, with
brotli or gzip, to a browser that asks for it (``Accept-Encoding``).

Bootstrap's stylesheet alone is 230 KB, and under 30 KB compressed: on a
phone's network that was most of the time before a page showed anything.

Pages (HTML) are never compressed. Each one carries a secret, the form's
CSRF token, next to text a visitor can make the page repeat (a cookie value,
a ``next`` address, a form field); compressed together, the response's
length would tell an attacker who watches the traffic, guess by guess, how
much of their text matched the secret (the BREACH attack). So only the
static files' responses are handed to Flask-Compress, and only the types
listed below, JSON not among them.

Flask serves a static file as a stream, which Flask-Compress compresses as
it is sent; its cache of compressed responses takes whole responses only,
so it does not serve here. A static file's URL carries its version
(``cookiesite.assets``), and browsers keep it a year: each browser asks for
each version once.
"""

from flask import Flask
from flask import request
from flask import Response

from cookiesite.assets import STATIC_ENDPOINTS
from cookiesite.extensions import compress

#: Flask-Compress's settings, unless the configuration already sets them.
SETTINGS = {
    # Text types of static files only: never text/html, nor JSON (see above).
    # (Scripts are text/javascript, or application/javascript on older systems.)
    "COMPRESS_MIMETYPES": [
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
    ],
    # Brotli first, the smaller; gzip for the rest. Static files are streams.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    # Brotli's level 4 (the default) leaves Bootstrap's CSS larger than gzip
    # does; at 5 it is a tenth smaller than gzip's, still in milliseconds.
    "COMPRESS_BR_LEVEL": 5,
    # A compressed file gets its own ETag (the file's, ending ":br" or
    # ":gzip"); answer a browser that sends it back with 304 Not Modified,
    # for Bootstrap's files as for ours.
    "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": list(STATIC_ENDPOINTS),
}


def init_app(app: Flask) -> None:
    """Compress static text files for the browsers that accept it."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    # The hook is this module's, not Flask-Compress's own: see below.
    app.config["COMPRESS_REGISTER"] = False
    # Flask-Compress keeps the settings on ``compress`` itself, from the app
    # bound last: fine while every app of the process has these.
    compress.init_app(app)
    app.after_request(compress_static_files)


def compress_static_files(response: Response) -> Response:
    """Compress a static file, if the browser accepts it; never a page.

    Nor a part of a file (206 Partial Content): Flask-Compress would
    compress the part on its own, under a ``Content-Range`` that counts the
    bytes of the uncompressed file, and a client joining the parts would get
    a broken file. A range counts the bytes sent (RFC 9110, section
    14.1.2), so a part goes out as it is.
    """
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code == 206:
        return response
    return compress.after_request(response)
