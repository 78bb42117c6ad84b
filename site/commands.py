"""Command-line tools: ``flask --app cookiesite create-admin NAME``."""

import click
from flask import Flask
from flask.cli import with_appcontext

from cookiesite.account import records
from cookiesite.auth.strength import weakness
from cookiesite.extensions import db
from cookiesite.models import Ended
from cookiesite.models import PASSWORD_MAX
from cookiesite.models import PASSWORD_MIN
from cookiesite.models import User
from cookiesite.models import USERNAME_PATTERN


def _check_password(password: str, username: str) -> str:
    """The rules signup applies to a new password, as the command's error."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.BadParameter(
            f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
            param_hint="--password",
        )
    if problem := weakness(password, username):
        raise click.BadParameter(problem, param_hint="--password")
    return password


@click.command("create-admin")
@click.argument("name")
@click.option(
    "--password",
    help="The password. Asked for when a new account is made without it;"
    " for an existing account it replaces the old one.",
)
@with_appcontext
def create_admin(name: str, password: str | None) -> None:
    """Make NAME an admin, creating the account when it does not exist."""
    user = User.by_username(name)
    if user is None:
        if not USERNAME_PATTERN.fullmatch(name):
            raise click.BadParameter(
                "3 to 32 letters, digits, dots, underscores or hyphens.",
                param_hint="NAME",
            )
        if password is None:
            password = click.prompt(
                "Password", hide_input=True, confirmation_prompt=True
            )
        user = User(name, _check_password(password, name), is_admin=True)
        db.session.add(user)
        message = f"Created admin {name}."
    else:
        user.is_admin = True
        message = f"{user.username} is now an admin."
        if password is not None:
            user.set_password(_check_password(password, user.username))
            # As a password change does: every login made with the old
            # password ends, wherever its cookies are.
            ended = records.end_all(user, reason=Ended.PASSWORD_CHANGED)
            message += f" Password replaced; {ended} login(s) ended."
    db.session.commit()
    click.echo(message)


@click.command("cookie-table")
@click.option(
    "--write",
    "readme",
    type=click.Path(exists=True, dir_okay=False),
    help="Replace the table in this README instead of printing it.",
)
@with_appcontext
def cookie_table(readme: str | None) -> None:
    """Print the cookie catalogue as a Markdown table (or write it into README)."""
    from pathlib import Path

    from cookiesite.policy import cookie_table_markdown
    from cookiesite.policy import replace_readme_table

    table = cookie_table_markdown()
    if readme is None:
        click.echo(table)
        return
    path = Path(readme)
    path.write_text(replace_readme_table(path.read_text(), table))
    click.echo(f"Updated the cookie table in {path}.")


def register_commands(app: Flask) -> None:
    """Add the site's commands to ``flask``."""
    app.cli.add_command(create_admin)
    app.cli.add_command(cookie_table)
