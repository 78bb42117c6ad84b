"""Flask-Login's LoginManager with its remember cookie routed through the catalogue.

Flask-Login 0.6.3 sets and deletes ``remember_token`` itself. Three of its
habits are wrong for this site, and each is fixed here:

- its deletion omits ``SameSite``, ``Secure`` and ``HttpOnly``, so the
  deleting header does not match the setting one (flask-login #683);
- ``REMEMBER_COOKIE_REFRESH_EACH_REQUEST`` sets the cookie for every logged-in
  member, also those who never ticked "Remember me" (flask-login #824);
- it checks the cookie's signature only against ``SECRET_KEY``, so rotating
  the key logs out every remembered member (``SECRET_KEY_FALLBACKS``).

The session and the remember cookie carry a login record's token (see
``cookiesite.account.records``). When that login has ended, the loader finds
nobody; this manager then forgets the login in the browser: it takes it out of
the session and deletes the remember cookie, so the dead token is not sent again.
"""

from datetime import timedelta

from flask import current_app
from flask import flash
from flask import g
from flask import session
from flask_login import LoginManager
from flask_login.config import SESSION_KEYS
from flask_login.signals import user_loaded_from_cookie
from flask_login.utils import decode_cookie
from flask_login.utils import encode_cookie

from cookiesite import cookies

#: Shown once in a browser whose login ended elsewhere or by itself.
ENDED_MESSAGE = (
    "Your login in this browser has ended: you logged out, it was revoked,"
    " your password changed, or it timed out. Please log in again."
)


class RememberLoginManager(LoginManager):
    """A LoginManager whose remember cookie follows its catalogue declaration."""

    def _load_user(self):
        """Load the login; when it has ended, forget it in this browser.

        Flask-Login leaves a token that no longer loads anybody in the session
        and keeps the remember cookie. Here the session loses every login key
        and the remember cookie is deleted at this very response. The form
        token stays: a page may have rendered it already.
        """
        super()._load_user()
        if g._login_user.is_authenticated:
            return
        remembered = cookies.sent("remember_token")
        if "_user_id" not in session and not remembered:
            return
        for key in SESSION_KEYS:
            session.pop(key, None)
        if remembered:
            session["_remember"] = "clear"
        if g.pop("login_ended", False):
            flash(ENDED_MESSAGE, "warning")

    def _session_protection_failed(self):
        """Flask-Login's session protection, for sessions that hold a login.

        Flask-Login also marks the session of a visitor who never logged in
        "not fresh" (it holds only the form token), which changes the session
        and makes Flask sign and send the cookie again for nothing.
        """
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()

    def _update_remember_cookie(self, response):
        """Apply the set or clear that ``login_user``/``logout_user`` asked for.

        The refresh setting renews the cookie only for a member whose browser
        sent one, instead of creating it for everybody.
        """
        if (
            "_remember" not in session
            and current_app.config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"]
            and "_user_id" in session
            and cookies.sent("remember_token")
            and not self._response_sets_cookie(response)
        ):
            session["_remember"] = "set"
        if "_remember" in session:
            operation = session.pop("_remember")
            if operation == "set" and "_user_id" in session:
                self._set_cookie(response)
            elif operation == "clear":
                self._clear_cookie(response)
        return response

    @staticmethod
    def _response_sets_cookie(response) -> bool:
        """Whether the view already set or deleted the remember cookie
        (the admin's "Clear"): a refresh must not undo that."""
        prefix = cookies.cookie_name("remember_token") + "="
        return any(h.startswith(prefix) for h in response.headers.getlist("Set-Cookie"))

    def _set_cookie(self, response):
        seconds = session.pop("_remember_seconds", None)
        duration = timedelta(seconds=seconds) if seconds else None
        value = encode_cookie(str(session["_user_id"]))
        cookies.write(response, "remember_token", value, max_age=duration)

    def _clear_cookie(self, response):
        cookies.erase(response, "remember_token")

    def _load_user_from_remember_cookie(self, cookie):
        """Flask-Login's loading, but a cookie signed with a fallback key counts.

        The signature is checked once per key, and the loading is done here:
        handing a re-signed cookie back to Flask-Login would check it twice more.
        """
        config = current_app.config
        fallbacks = config.get("SECRET_KEY_FALLBACKS") or []
        for key in [config["SECRET_KEY"], *fallbacks]:
            user_id = decode_cookie(cookie, key=key)
            if user_id is not None:
                break
        else:
            return None
        session["_user_id"] = user_id
        session["_fresh"] = False
        user = self._user_callback(user_id)
        if user is not None:
            app = current_app._get_current_object()
            user_loaded_from_cookie.send(app, user=user)
        return user
