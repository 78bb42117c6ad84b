"""The migrations build the schema the models declare, on an empty database."""

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
