"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask_babel import lazy_gettext as _l
from flask_bootstrap import Bootstrap5
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for the typed models.

    Constraints get predictable names, so migrations can drop and alter them
    on SQLite (batch mode) as on PostgreSQL.
    """

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
compress = Compress()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Flashed by remember.send_to_login, in the page's language.
login_manager.login_message = _l("Please log in to see that page.")
login_manager.login_message_category = "info"
