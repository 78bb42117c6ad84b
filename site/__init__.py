"""cookiesite: a small Flask site in which every cookie has a job.

``create_app`` builds the application in a few steps, each a ``register_*``
function below, so each can be read (and tested) on its own.
"""

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from cookiesite import cookies
from cookiesite.config import CONFIGS

#: The navbar's links: (endpoint, label).
MAIN_NAV = (
    ("main.index", _l("Home")),
    ("reports.index", _l("Reports")),
    ("prefs.index", _l("Preferences")),
    ("policy.index", _l("Cookies")),
    ("lab.index", _l("Lab")),
)

#: Where ``templates/``, ``static/`` and ``migrations/`` are: inside the
#: package when it is installed from a wheel (pyproject.toml maps the
#: repository's top-level folders there), at the top of the repository in a
#: checkout or an editable install.
PACKAGE = Path(__file__).resolve().parent
FILES = PACKAGE if (PACKAGE / "templates").is_dir() else PACKAGE.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the site. ``test_config`` overrides every other setting.

    The instance folder (the development database and secret key) is
    Flask's: ``instance/`` beside ``site/`` in a checkout, and
    ``<prefix>/var/cookiesite-instance`` for an installed package, never
    inside site-packages. ``FLASK_INSTANCE_PATH`` puts it elsewhere.
    """
    app = Flask(
        __name__,
        instance_path=os.environ.get("FLASK_INSTANCE_PATH"),
        template_folder=str(FILES / "templates"),
        static_folder=str(FILES / "static"),
    )
    register_config(app, test_config)
    # First of the steps that add after_request hooks: Flask runs those in
    # the reverse order, so the inspector's runs last and sees every cookie.
    register_inspector(app)
    register_extensions(app)
    register_security(app)
    register_throttling(app)
    register_blueprints(app)
    register_templates(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then ``FLASK_*`` environment variables, then the test mapping."""
    env = os.environ.get("COOKIESITE_ENV", "development")
    if env not in CONFIGS:
        raise RuntimeError(f"COOKIESITE_ENV must be one of {', '.join(CONFIGS)}")
    app.config.from_object(CONFIGS[env])
    app.config.from_prefixed_env()
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        os.environ.get("DATABASE_URL") or _default_database(app),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise RuntimeError(
                "FLASK_SECRET_KEY is not set: the production site will not start"
                " without its own secret key. Make one with"
                ' python -c "import secrets; print(secrets.token_hex(32))"'
            )
        app.config["SECRET_KEY"] = development_secret_key(Path(app.instance_path))
    cookies.configure(app)


def _default_database(app: Flask) -> str:
    """SQLite under ``instance/``, the embedded default for development."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(app.instance_path) / "cookiesite.sqlite3")


def development_secret_key(instance: Path) -> str:
    """A random key made on first start and kept in ``instance/secret_key``.

    Several workers may start at once: the first to create the file writes it,
    the others read what it wrote.
    """
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        key = secrets.token_hex(32)
        file.write(key)
    return key


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the SQLite settings to the app."""
    from cookiesite import compression
    from cookiesite import database
    from cookiesite.account import records
    from cookiesite.auth import remember
    from cookiesite.extensions import bootstrap
    from cookiesite.extensions import csrf
    from cookiesite.extensions import db
    from cookiesite.extensions import login_manager
    from cookiesite.extensions import migrate
    from cookiesite.prefs import language

    database.engine_options(app)
    db.init_app(app)
    database.tune_sqlite(app)
    migrate.init_app(app, db, directory=str(FILES / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    # The page's language, from the lang cookie or Accept-Language; also
    # what Flask-WTF translates its own messages with.
    language.init_app(app)
    bootstrap.init_app(app)
    # Static text files compressed, pages never (compression.py says why).
    compression.init_app(app)
    login_manager.init_app(app)
    # The session and the remember cookie carry a login record's token: the
    # user loader reads the session's, the request loader (in remember) the
    # cookie's when the session names nobody.
    login_manager.user_loader(records.load_user)
    remember.init_app(app)


def register_throttling(app: Flask) -> None:
    """Failed logins, signups and password checks, counted per client,
    username, device and account."""
    from cookiesite import throttle

    throttle.init_app(app)


def register_security(app: Flask) -> None:
    """Security headers, caching rules, the bodies taken, trusted proxies."""
    from cookiesite import security

    security.register_security(app)


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per area of the site."""
    from cookiesite import main
    from cookiesite import policy
    from cookiesite.account import views as account
    from cookiesite.admin import views as admin
    from cookiesite.auth import views as auth
    from cookiesite.consent import views as consent
    from cookiesite.lab import views as lab
    from cookiesite.prefs import members
    from cookiesite.prefs import theme
    from cookiesite.prefs import views as prefs
    from cookiesite.reports import views as reports

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(consent.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(prefs.bp)
    app.register_blueprint(policy.bp)
    app.register_blueprint(lab.bp)
    theme.init_app(app)
    members.init_app(app)


def register_templates(app: Flask) -> None:
    """Versioned static URLs, and the values every template may use."""
    from cookiesite import assets
    from cookiesite import descriptions
    from cookiesite import words

    assets.init_app(app)
    descriptions.init_app(app)
    app.jinja_env.globals["main_nav"] = MAIN_NAV
    app.add_template_filter(words.lifetime)


def register_inspector(app: Flask) -> None:
    """The cookie inspector at the foot of every HTML page, filled in once the
    response is complete, with the redirect that led to the page."""
    from cookiesite import inspector

    inspector.init_app(app)


def register_error_handlers(app: Flask) -> None:
    """Error pages in the site's layout."""
    from cookiesite import errors

    errors.register_error_handlers(app)


def register_commands(app: Flask) -> None:
    """``flask create-admin`` and friends."""
    from cookiesite import commands

    commands.register_commands(app)
