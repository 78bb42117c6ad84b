"""One sentence per page for ``<meta name="description">``: what a search
engine may show under the page's title in its results.

Declared here by endpoint, as data, so no template has to say it and a new
page needs one line here (``tests/test_descriptions.py`` checks that every
page has its own). ``templates/base.html`` puts ``page_description`` in the
page's ``<head>``.
"""

from flask import Flask
from flask import request
from flask_babel import lazy_gettext as _l

#: The description of each page, by endpoint; translated when a page asks.
DESCRIPTIONS = {
    "main.index": _l(
        "A small working site that shows what cookies do: every cookie"
        " it sets has a job, and each page shows the cookies your browser sent."
    ),
    "auth.login": _l(
        "Log in to cookiesite and see how the session cookie, and the"
        " optional Remember me cookie, keep you logged in."
    ),
    "auth.signup": _l(
        "Create a cookiesite account, so your colour mode follows you"
        " to other browsers and you can see and revoke your logins."
    ),
    "account.index": _l(
        "Your cookiesite account: the devices you are logged in on,"
        " each with Revoke, a new password, or deleting the account."
    ),
    "prefs.index": _l(
        "Choose a colour mode and a language, answer the analytics"
        " question, and see the cookies that remember your choices."
    ),
    "policy.index": _l(
        "Every cookie cookiesite can set, with its purpose, path,"
        " lifetime and flags, listed from the declaration the code itself uses."
    ),
    "lab.index": _l(
        "The cookie lab: set, update and delete cookies of your own with"
        " every parameter of Flask's set_cookie, and see what your browser keeps."
    ),
    "lab.page": _l(
        "The cookie lab at an address below the lab, to see which cookies"
        " a browser sends to the pages under a cookie's path."
    ),
    "reports.index": _l(
        "Page views, visits and visitors of the reports, counted by"
        " two analytics cookies that are set only with the reader's consent."
    ),
    "reports.pages": _l(
        "The reports read most and the visits each one started,"
        " counted from the readers who accepted analytics cookies."
    ),
    "reports.themes": _l(
        "How many members keep a light, dark or automatic colour"
        " mode on their account, the preference that follows them around."
    ),
    "reports.your_visit": _l(
        "What the analytics cookies know of your own visit to"
        " the reports: your reader id, this visit, and when each ends."
    ),
    "admin.cookies": _l(
        "For admins: every cookie this browser holds for the site,"
        " matched to the cookie catalogue, to clear one by one or all at once."
    ),
    "admin.reports_cookies": _l(
        "For admins: this browser's cookies as a page under"
        " the reports receives them, the analytics cookies included."
    ),
    "admin.sessions": _l(
        "For admins: every member's logins that have not ended,"
        " each with Revoke to log that device out."
    ),
    "admin.users": _l(
        "For admins: every member, when they joined and last logged"
        " in, their active devices, and who is an admin."
    ),
}


def page_description() -> str:
    """This page's description. A page without one of its own (an error
    page, the answer to a form) describes the site."""
    # A str, not the lazy text: Jinja would take that for markup and leave
    # it unescaped in the attribute.
    return str(DESCRIPTIONS.get(request.endpoint, DESCRIPTIONS["main.index"]))


def init_app(app: Flask) -> None:
    """Give every template its page's description."""

    @app.context_processor
    def description_context() -> dict:
        return {"page_description": page_description()}
