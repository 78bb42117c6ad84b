"""The visitor's answer to the analytics question, and what it allows.

The answer lives in the ``consent`` cookie as ``<policy version>.accept`` or
``<policy version>.reject``. The catalogue's check already treats an answer
to an older policy as no answer, so a new policy version asks again.

A ``Sec-GPC: 1`` request header (Global Privacy Control) is a standing
refusal sent by the browser itself: it counts as a rejection on every request
it comes with, whatever the cookie says, and nobody is asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask import request

from cookiesite import cookies

#: The two answers the ``consent`` cookie can hold.
ACCEPT = "accept"
REJECT = "reject"

#: The pages that show the choice themselves (``consent/_choice.html``), so
#: the banner stays away from them instead of asking twice on one page.
CHOICE_ENDPOINTS = frozenset({"policy.index", "prefs.index"})


@dataclass(frozen=True)
class Consent:
    """What this request says about analytics cookies."""

    #: ``"accept"``, ``"reject"``, or ``None`` when the visitor has not
    #: answered (or answered an older policy).
    answer: str | None
    #: Whether the browser sent Global Privacy Control with this request.
    gpc: bool

    @property
    def allowed(self) -> bool:
        """Whether analytics cookies may be set and page views recorded."""
        return self.answer == ACCEPT and not self.gpc

    @property
    def ask(self) -> bool:
        """Whether the question is still open: no answer and no GPC signal."""
        return self.answer is None and not self.gpc


def gpc_sent() -> bool:
    """Whether the request carries ``Sec-GPC: 1``; any other value is no signal."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


def cookie_value(answer: str) -> str:
    """The ``consent`` cookie's value for an answer to the current policy."""
    return f"{cookies.POLICY_VERSION}.{answer}"


def current() -> Consent:
    """The visitor's consent for this request, worked out once per request."""
    if "consent" not in g:
        value = cookies.read("consent")
        answer = value.partition(".")[2] if value else None
        g.consent = Consent(answer=answer, gpc=gpc_sent())
    return g.consent


def analytics_allowed() -> bool:
    """Whether this request may set analytics cookies and record a page view."""
    return current().allowed
