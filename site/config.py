"""Configuration defaults.

The factory reads them in this order, each layer overriding the one before:
these classes, then ``FLASK_*`` environment variables (``FLASK_SECRET_KEY``
becomes ``SECRET_KEY``), then the mapping a test passes to ``create_app``.
``COOKIESITE_ENV=production`` picks :class:`ProductionConfig`.
"""

from datetime import timedelta


class Config:
    """Development defaults: plain HTTP on localhost, SQLite under ``instance/``."""

    #: ``True`` when the site is served over HTTPS: every cookie gets ``Secure``
    #: and the ``__Host-`` / ``__Secure-`` name prefixes.
    HTTPS = False

    #: How long "Remember me" keeps a member logged in. Browsers keep a cookie
    #: at most 400 days, so a longer value is refused at start-up.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)

    #: Flask-Login 0.6.3 sets the remember cookie on every request with this on,
    #: even for members who never ticked "Remember me" (flask-login #824).
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False

    #: ``basic`` marks a session as not fresh when the client changes;
    #: ``strong`` would log members out when their address changes.
    SESSION_PROTECTION = "basic"

    #: CSRF tokens live as long as the session instead of one hour, so a form
    #: left open over lunch still submits.
    WTF_CSRF_TIME_LIMIT = None

    #: Bootstrap is served from this site, never from a CDN.
    BOOTSTRAP_SERVE_LOCAL = True

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    #: A form larger than this is refused with 413 before it is parsed.
    MAX_CONTENT_LENGTH = 64 * 1024


class ProductionConfig(Config):
    """Served over HTTPS behind a real domain; ``FLASK_SECRET_KEY`` is required."""

    HTTPS = True


#: The names ``COOKIESITE_ENV`` may take.
CONFIGS = {"development": Config, "production": ProductionConfig}

#: Browsers cap a cookie's lifetime at 400 days (RFC 6265bis).
MAX_COOKIE_LIFETIME = timedelta(days=400)
