"""The forms' CSRF token, signed once per session and process, not per page.

Flask-WTF keeps a random token in the session and puts a signed copy of it in
every form; it signs that copy again on every page (an HMAC and a timestamp,
a tenth of a page's rendering). The signed copy of a given token needs no
renewal here: ``WTF_CSRF_TIME_LIMIT`` is ``None``, so its timestamp is never
checked. With a time limit configured, a copy is reused for at most a twelfth
of it, so a form never carries a token much older than Flask-WTF's own.

:func:`csrf_token` is what the templates call; a form class rendered later in
the same page gets the same token, as Flask-WTF reads it from ``g``.
"""

import time

from flask import current_app
from flask import Flask
from flask import g
from flask import session
from flask_wtf.csrf import generate_csrf

#: Signed copies kept per process; beyond this the cache starts over.
MAX_TOKENS = 4096

#: ``(signing key, token in the session)`` → (when signed, signed copy).
_signed: dict[tuple[str, str], tuple[float, str]] = {}


def _reuse_for(config) -> float:
    limit = config["WTF_CSRF_TIME_LIMIT"]
    return float("inf") if limit is None else limit / 12


def csrf_token() -> str:
    """The signed token for this session's forms (Flask-WTF's ``generate_csrf``)."""
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    if field in g:  # already made for this page
        return g.get(field)
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    now = time.time()
    raw = session.get(field)
    kept = _signed.get((secret, raw)) if isinstance(raw, str) else None
    if kept is not None and now - kept[0] <= _reuse_for(config):
        setattr(g, field, kept[1])
        return kept[1]
    # Flask-WTF signs it, and on a first visit makes the session's token.
    signed = generate_csrf()
    if len(_signed) >= MAX_TOKENS:
        _signed.clear()
    _signed[secret, session[field]] = (now, signed)
    return signed


def init_app(app: Flask) -> None:
    """Templates' ``csrf_token()`` becomes :func:`csrf_token`.

    Flask-WTF offers its own both as a global and from a context processor;
    this one is registered after it, so it wins in both places.
    """
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
