"""``/cookies``: the cookie policy, rendered from the catalogue."""

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask_babel import force_locale

from cookiesite import cookies
from cookiesite import words
from cookiesite.lab.family import LAB

bp = Blueprint("policy", __name__)


def catalogue_rows() -> list[dict]:
    """One row per declared cookie, as the policy page and README show it."""
    secure = current_app.config["HTTPS"]
    rows = []
    for key, cookie in cookies.CATALOGUE.items():
        life = cookies.lifetime(key)
        rows.append(
            {
                "key": key,
                "name": cookies.cookie_name(key),
                "cookie": cookie,
                "lifetime": words.duration(life),
                "kind": words.kind(cookie.path, life),
                "flags": words.flags(cookie, secure),
            }
        )
    return rows


@bp.route("/cookies")
def index():
    """Every cookie of the site: why it exists, where it goes, how long it lives;
    and the rules of the cookies visitors make in the lab."""
    return render_template(
        "policy/index.html",
        rows=catalogue_rows(),
        categories=list(cookies.Category),
        category_titles=cookies.CATEGORY_TITLES,
        lab=LAB,
        sent={key for key in cookies.CATALOGUE if cookies.sent(key)},
    )


#: The README's cookie table sits between these two lines.
README_MARKERS = (
    "<!-- cookie-table: made by `flask cookie-table` -->",
    "<!-- /cookie-table -->",
)


def cookie_table_markdown() -> str:
    """The catalogue as a Markdown table, for the README (needs an app context).

    The README is written in English, so the catalogue's texts are too,
    whatever language a request around this would pick.
    """
    lines = [
        "| name | category | job | path | lifetime | flags |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    with force_locale("en"):
        for row in catalogue_rows():
            cookie = row["cookie"]
            job = str(cookie.purpose) + (
                " Only after you accept analytics cookies."
                if cookie.needs_consent
                else ""
            )
            lines.append(
                f"| `{row['name']}` | {cookie.category} | {job} | `{cookie.path}` "
                f"| {row['lifetime']} ({row['kind']}) | {', '.join(row['flags'])} |"
            )
    return "\n".join(lines)


def replace_readme_table(readme: str, table: str) -> str:
    """``readme`` with the text between the markers replaced by ``table``."""
    start, end = README_MARKERS
    head, _, rest = readme.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{table}\n{end}{tail}"
