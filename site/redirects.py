"""Checking return targets (``next``, the referring page) before following them."""

from urllib.parse import urlsplit

from flask import redirect
from flask import Response


def is_safe_path(target: str | None) -> bool:
    """Whether ``target`` is a path on this site and nothing else.

    Only a path starting with a single ``/`` passes. Refused: anything with a
    scheme (``https:evil.example``, ``javascript:``), a host (``//evil.example``),
    a backslash (browsers read ``/\\evil.example`` as ``//evil.example``), or
    a control character or space (browsers drop tabs and newlines, which can
    turn ``/\t/evil.example`` into ``//evil.example``).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ch <= " " or ch == "\x7f" for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_path(target: str | None, default: str) -> str:
    """``target`` when it is a same-site path, ``default`` otherwise."""
    return target if is_safe_path(target) else default


def after_form(target: str) -> Response:
    """The answer to a form that worked: ``303 See Other`` to ``target``.

    The browser follows a 303 with a GET, so reloading the page it lands on
    cannot send the form again (Post/Redirect/Get).
    """
    return redirect(target, code=303)
