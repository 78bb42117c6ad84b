"""The site's code uses its libraries through their public names only.

People copy files of this site into their own. A file that reaches into a
library's private names (a leading underscore) or subclasses Flask, a session
interface or ``LoginManager`` breaks with the next release of that library,
and teaches the copier a habit to unlearn. These tests read every module of
``site/`` and fail on any such use; the checker is tested on known-bad code
first, so it cannot pass by finding nothing.
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SessionInterface
from flask_login import LoginManager

import cookiesite

#: The libraries whose private names the site must not touch.
LIBRARIES = ("flask", "werkzeug", "flask_login", "flask_wtf", "sqlalchemy")

#: Session and ``g`` keys that Flask and Flask-Login keep for themselves.
PRIVATE_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds")

#: Classes the site must never subclass.
FORBIDDEN_BASES = (Flask, SessionInterface, LoginManager)

SITE = Path(cookiesite.__file__).parent


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(source: str) -> list[str]:
    """Every use of a private name in ``source``, as ``line: what``.

    Flagged: importing a private name from one of :data:`LIBRARIES`; any
    ``something._name`` attribute (the site's own private helpers are called
    by bare name inside their module, never as attributes); and a private
    key or attribute named by string, as in ``g.get("_login_user")``,
    ``session["_user_id"]`` or ``getattr(user, "_x")``.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            library = node.module.split(".")[0]
            for alias in node.names:
                if library in LIBRARIES and _is_private(alias.name):
                    found.append(
                        f"{node.lineno}: from {node.module} import {alias.name}"
                    )
            if library in LIBRARIES and any(
                _is_private(part) for part in node.module.split(".")
            ):
                found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in LIBRARIES and any(_is_private(p) for p in parts):
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in PRIVATE_KEYS or node.value.startswith("_login_user"):
                found.append(f"{node.lineno}: {node.value!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
        ):
            found.append(f"{node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
    return found


def site_modules() -> list[Path]:
    return sorted(SITE.rglob("*.py"))


#: Code of the kind the copy-safe issue removed, each with what must be found.
KNOWN_BAD = [
    ("from flask_login.utils import _get_user", "_get_user"),
    (
        "from flask_login.config import SESSION_KEYS\nsession.pop('_user_id')",
        "_user_id",
    ),
    ("user = current_user._get_current_object()", "._get_current_object"),
    ("if g._login_user.is_authenticated: pass", "._login_user"),
    ("user = g.get('_login_user')", "'_login_user'"),
    ("class M(LoginManager):\n    def load(self): super()._load_user()", "._load_user"),
    ("session['_remember'] = 'clear'", "'_remember'"),
    ("value = getattr(app, '_built_urls')", "'_built_urls'"),
    ("import sqlalchemy.orm._orm_constructors", "import sqlalchemy.orm._orm"),
]


@pytest.mark.parametrize(("source", "expected"), KNOWN_BAD)
def test_the_checker_finds_private_names(source, expected):
    assert any(expected in use for use in private_uses(source)), private_uses(source)


def test_the_checker_passes_public_code():
    source = (
        "from flask_login import login_user\n"
        "from flask import session\n"
        "login_user(user, fresh=False)\n"
        "session['theme_seen'] = True\n"
        "name = cookie.__class__.__name__\n"
    )
    assert private_uses(source) == []


def test_the_site_reads_every_module():
    names = {path.relative_to(SITE).as_posix() for path in site_modules()}
    assert {"__init__.py", "cookies.py", "auth/remember.py", "inspector.py"} <= names


@pytest.mark.parametrize(
    "path", site_modules(), ids=lambda path: path.relative_to(SITE).as_posix()
)
def test_no_module_uses_a_private_name(path):
    assert private_uses(path.read_text()) == []


def test_no_class_of_the_site_subclasses_flask_a_session_interface_or_loginmanager():
    classes = []
    for module in pkgutil.walk_packages(cookiesite.__path__, "cookiesite."):
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == loaded.__name__:
                classes.append(cls)
    assert len(classes) > 10
    bad = [cls for cls in classes if issubclass(cls, FORBIDDEN_BASES)]
    assert bad == []


def test_the_subclass_check_would_see_one():
    class Site(Flask):
        pass

    assert issubclass(Site, FORBIDDEN_BASES)
