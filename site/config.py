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

    #: How long "Remember me" keeps a member logged in: the ``remember``
    #: cookie's lifetime, and the login's on the server. Browsers keep a
    #: cookie at most 400 days, so a longer value is refused at start-up.
    REMEMBER_DURATION = timedelta(days=30)

    #: A login without "Remember me" ends after this long without a request.
    #: The server enforces it, so a copied session cookie dies with it too.
    #: Measured from the last-seen time, which is written once a minute.
    LOGIN_IDLE_TIMEOUT = timedelta(minutes=30)

    #: A login without "Remember me" ends this long after it began, however
    #: active it is. (A remembered login lasts ``REMEMBER_DURATION``.)
    LOGIN_MAX_AGE = timedelta(hours=12)

    #: Flask-Login's session protection marks a login "not fresh" when the
    #: browser's address or User-Agent changes (``basic``), or ends it
    #: (``strong``, which would log out a phone at every change of network).
    #: No page here asks for a fresh login (the account's forms ask for the
    #: password itself), and a stolen login is ended by revoking its record;
    #: ``basic`` would only make Flask sign and send every visitor's session
    #: again on their second page. So it is off.
    SESSION_PROTECTION = None

    #: CSRF tokens live as long as the session instead of one hour, so a form
    #: left open over lunch still submits.
    WTF_CSRF_TIME_LIMIT = None

    #: Bootstrap is served from this site, never from a CDN.
    BOOTSTRAP_SERVE_LOCAL = True

    #: A form larger than this is refused with 413 before it is parsed.
    MAX_CONTENT_LENGTH = 64 * 1024

    #: Failed logins allowed per client address and per username, and signup
    #: attempts per client address, in Flask-Limiter's notation ("5 per
    #: minute; 50 per day"). The windows move: attempts older than the window
    #: stop counting, so nobody is locked out for good (security.py).
    LOGIN_LIMIT_PER_CLIENT = "30 per 15 minutes"
    LOGIN_LIMIT_PER_USERNAME = "10 per 15 minutes"
    SIGNUP_LIMIT_PER_CLIENT = "20 per hour"

    #: Failed logins allowed per device cookie. A browser that sends a valid
    #: ``device`` cookie for the username it logs in as is held by this limit
    #: instead of ``LOGIN_LIMIT_PER_USERNAME``, so an attacker who locks the
    #: username out does not lock out its owner; a stolen device cookie
    #: still allows no more guesses than this (auth/device.py).
    LOGIN_LIMIT_PER_DEVICE = "10 per 15 minutes"

    #: Wrong current passwords allowed per account, on the account page's
    #: forms (change password, delete account) together, from any session:
    #: a stolen session must not be a way to guess the owner's password.
    PASSWORD_CHECK_LIMIT_PER_ACCOUNT = "5 per 15 minutes"  # noqa: S105 (a limit)

    #: Where the limiter counts. ``memory://`` is per process; several workers
    #: or hosts share one count with ``redis://host:6379``.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Before each key in that storage, so that sites sharing one Redis do
    #: not share counts. (Flask-Limiter reads it once per process.)
    RATELIMIT_KEY_PREFIX = "cookiesite"

    #: How many proxies in front of the site set each ``X-Forwarded-*``
    #: header. 0 believes none of them: a client could forge its address.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    #: The host names the site answers to (Flask refuses others with 400);
    #: ``None`` answers any, which is fine on localhost only.
    TRUSTED_HOSTS = None

    #: How long browsers remember to use HTTPS only (HSTS), when ``HTTPS`` is on.
    HSTS_MAX_AGE = int(timedelta(days=365).total_seconds())

    #: HSTS for every subdomain too (``includeSubDomains``): only once each
    #: of them is served over HTTPS, or browsers refuse the ones that are not.
    HSTS_INCLUDE_SUBDOMAINS = False

    #: Ask to be built into browsers' HSTS lists (``preload``; then submit the
    #: domain at hstspreload.org). Hard to undo; needs ``includeSubDomains``
    #: and a max-age of at least a year, which start-up checks.
    HSTS_PRELOAD = False


class ProductionConfig(Config):
    """Served over HTTPS behind a real domain; ``FLASK_SECRET_KEY`` is required."""

    HTTPS = True


#: The names ``COOKIESITE_ENV`` may take.
CONFIGS = {"development": Config, "production": ProductionConfig}

#: Browsers cap a cookie's lifetime at 400 days (RFC 6265bis).
MAX_COOKIE_LIFETIME = timedelta(days=400)
