"""The visitor's answer to the analytics question, and what it allows.

The answer lives in the ``consent`` cookie as ``<policy version>.<answer>.<day>``,
``1.reject.2026-12-02`` say: the day (UTC) is shown back on ``/preferences``
and ``/cookies``. The catalogue's check treats an answer to an older policy
(:data:`cookiesite.cookies.POLICY_VERSION`) as no answer, so a new policy
version asks again; an answer stored before the cookie carried the day
(``1.reject``) still counts, with the day unknown.

A ``Sec-GPC: 1`` request header (Global Privacy Control) is a standing
refusal sent by the browser itself: it counts as a rejection on every request
it comes with, whatever the cookie says, and nobody is asked. The banner says
so once; dismissing it stores the refusal as the visitor's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from flask import request

from cookiesite import cookies
from cookiesite import models

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
    #: The policy version the answer was given for; ``None`` without one.
    version: str | None = None
    #: The day (UTC) of the answer; ``None`` without one, or for an answer
    #: stored before the cookie carried the day.
    answered_on: date | None = None

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
    """The ``consent`` cookie's value for an answer to the current policy,
    given today (read through ``models.utcnow``, which tests drive)."""
    today = models.utcnow().date()
    return f"{cookies.POLICY_VERSION}.{answer}.{today.isoformat()}"


def parse(value: str | None, gpc: bool) -> Consent:
    """The consent a ``consent`` cookie value (already checked by the
    catalogue, or ``None``) and the GPC signal amount to."""
    if value is None:
        return Consent(answer=None, gpc=gpc)
    version, answer, *day = value.split(".")
    answered_on = date.fromisoformat(day[0]) if day else None
    return Consent(answer, gpc, version=version, answered_on=answered_on)


def current() -> Consent:
    """The visitor's consent for this request, worked out once per request."""
    if "consent" not in g:
        g.consent = parse(cookies.read("consent"), gpc_sent())
    return g.consent


def analytics_allowed() -> bool:
    """Whether this request may set analytics cookies and record a page view."""
    return current().allowed
