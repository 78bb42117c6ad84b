"""The migrations build the schema the models declare, on an empty database."""

import hashlib

import sqlalchemy as sa

from cookiesite.extensions import db

from support import make_app


def test_upgrade_on_empty_database_then_check_is_clean(empty_database):
    app = make_app(empty_database)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "users" in sa.inspect(db.engine).get_table_names()


def test_downgrade_to_base_and_back(empty_database):
    app = make_app(empty_database)
    runner = app.test_cli_runner()
    for command in (["db", "upgrade"], ["db", "downgrade", "base"], ["db", "upgrade"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "alembic_version"} <= tables
        db.engine.dispose()


#: The revision before login tokens were stored hashed, and the one after.
PLAIN_TOKENS = "e187607258c9"
HASHED_TOKENS = "3c9d2f1e8b70"


def migrate(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output


def login_record_rows(app) -> list[dict]:
    with app.app_context():
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT * FROM login_records ORDER BY id")
            )
            found = [dict(row._mapping) for row in rows]
        db.engine.dispose()
    return found


def test_hashing_the_tokens_ends_the_logins_made_before_it(empty_database):
    """Up: each token becomes its SHA-256 and every login that was still
    active ends (its token sat in the database in the clear). Down: no token
    can come back from its hash, so each record gets a new random one that
    nobody holds, and the active logins end too."""
    app = make_app(empty_database)
    migrate(app, "upgrade", PLAIN_TOKENS)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, username, username_key, password_hash,"
                    " is_admin, created_at) VALUES (1, 'amy', 'amy', 'x', false,"
                    " '2030-01-01 12:00:00')"
                )
            )
            for token, ended in (("plain-active", None), ("plain-ended", "2030-01-02")):
                connection.execute(
                    sa.text(
                        "INSERT INTO login_records (user_id, token, created_at,"
                        " last_seen_at, device, ended_at) VALUES (1, :token,"
                        " '2030-01-01 12:00:00', '2030-01-01 12:00:00', 'Firefox',"
                        " :ended)"
                    ),
                    {"token": token, "ended": ended},
                )
        db.engine.dispose()

    migrate(app, "upgrade", HASHED_TOKENS)
    active, ended = login_record_rows(app)
    assert "token" not in active
    assert active["token_hash"] == hashlib.sha256(b"plain-active").hexdigest()
    assert ended["token_hash"] == hashlib.sha256(b"plain-ended").hexdigest()
    assert active["ended_at"] is not None
    assert str(ended["ended_at"]).startswith("2030-01-02")

    migrate(app, "downgrade", PLAIN_TOKENS)
    rows = login_record_rows(app)
    assert all("token_hash" not in row for row in rows)
    tokens = {row["token"] for row in rows}
    assert len(tokens) == 2 and not tokens & {"plain-active", "plain-ended"}
    assert all(row["ended_at"] is not None for row in rows)

    migrate(app, "upgrade")
    assert len(login_record_rows(app)) == 2
