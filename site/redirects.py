"""Checking return targets (``next``, the referring page) before following them."""

from urllib.parse import urlsplit


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
