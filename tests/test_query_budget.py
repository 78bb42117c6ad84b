"""SQL statements per page: none for visitors, one for members, whatever the data."""

import pytest
from sqlalchemy import event

from cookiesite.extensions import db

from html_helpers import page
from html_helpers import text


class StatementCounter:
    """Counts the SQL statements the app sends while it is active."""

    def __init__(self, app):
        self.app = app
        self.statements = []

    def _record(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        with self.app.app_context():
            event.remove(db.engine, "before_cursor_execute", self._record)


def plain_pages(app) -> list[str]:
    """Every GET page without arguments outside /reports and /admin."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and rule.endpoint != "static"
        and not rule.rule.startswith(("/reports", "/admin", "/bootstrap"))
    )


def test_the_page_list_is_not_empty(app):
    assert {"/", "/login", "/signup", "/cookies", "/preferences"} <= set(
        plain_pages(app)
    )


def test_anonymous_pages_send_no_sql(app, client):
    client.set_cookie("theme", "dark")
    client.get("/")  # the first response sets the session cookie
    for path in plain_pages(app):
        with StatementCounter(app) as counter:
            response = client.get(path)
        assert response.status_code in (200, 302), path
        assert counter.statements == [], path


#: Pages that show data from the database, with the statements they may add
#: to the one that loads the member.
EXTRA = {"/account": 1}


@pytest.mark.parametrize("remember", [False, True], ids=["session", "remember"])
def test_member_pages_send_one_statement(app, client, auth, remember):
    auth.login(remember=remember)
    client.get("/")  # last_seen was just written; the next minute writes nothing
    for path in plain_pages(app):
        with StatementCounter(app) as counter:
            response = client.get(path)
        assert response.status_code in (200, 302), path
        assert len(counter.statements) <= 1 + EXTRA.get(path, 0), (
            path,
            counter.statements,
        )


def test_member_restored_from_remember_cookie_alone_costs_one_statement(
    app, client, auth
):
    auth.login(remember=True)
    token = client.get_cookie("remember").value
    fresh = app.test_client()
    fresh.set_cookie("remember", token)
    fresh.get("/")
    browser = app.test_client()  # a closed browser: only the remember cookie left
    browser.set_cookie("remember", token)
    with StatementCounter(app) as counter:
        response = browser.get("/")
    assert "You are logged in as member." in text(page(response))
    assert len(counter.statements) == 1, counter.statements
