"""``make lighthouse``: Lighthouse's four scores for the main pages, on a phone.

Starts the real site (``flask run``) on a fresh SQLite database in a
temporary folder, signs a member up through the signup form (as a visitor
would) and keeps that login, then runs Google Lighthouse (installed by
``make`` into ``.lighthouse/``, ignored by git) with Debian's Chromium on each
page of :data:`PAGES`, in its default mobile profile: a mid-range phone on a
slow 4G network, both simulated. The member's pages are measured logged in:
Lighthouse sends the login's cookies with every request (``--extra-headers``).

Prints performance, accessibility, best practices and SEO per page, and
below the table every audit that cost a page points. Exits with 1 when a
page misses :data:`GOALS`. The reports are kept as JSON in
``.lighthouse/reports/`` (open one in https://googlechrome.github.io/lighthouse/viewer/).

Lighthouse's performance score moves by a point or two with the machine's
load (it warns when the machine was busy); ``--runs 3`` takes each page's
median run. Other arguments go to Lighthouse as they are: with
``--blocked-url-patterns=*icons.svg*`` the table shows what a file costs.

Everything listens on 127.0.0.1 and stops when the script ends.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from devserver import Site

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".lighthouse" / "reports"
CHROMIUM = Path("/usr/bin/chromium")

#: The pages measured: (path, measured logged in as the member).
PAGES = [
    ("/", False),
    ("/cookies", False),
    ("/reports", False),
    ("/login", False),
    ("/preferences", True),
    ("/account", True),
]

#: The categories, in the table's order, with the least score each must reach.
GOALS = {
    "performance": 0.98,
    "accessibility": 1.0,
    "best-practices": 1.0,
    "seo": 1.0,
}

#: The member signed up for the logged-in pages.
MEMBER = ("lighthouse", "a lighthouse on the cliff 7")


class _CsrfToken(HTMLParser):
    """Finds the value of the first ``csrf_token`` field of a page."""

    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrf_token" and not self.token:
            self.token = fields.get("value")


def sign_up(url: str, username: str, password: str) -> str:
    """Sign up through the form, as a browser would; returns the ``Cookie``
    header the browser then sends to the site's pages.

    The signup answers with a redirect to the home page, which shows (and
    so uses up) the welcome message: the cookies kept carry no message that
    every measured page would show again.
    """
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(url + "/signup") as response:
        parser = _CsrfToken()
        parser.feed(response.read().decode())
    form = {
        "csrf_token": parser.token,
        "username": username,
        "password": password,
        "confirm": password,
    }
    body = urllib.parse.urlencode(form).encode()
    with browser.open(url + "/signup", data=body) as response:
        response.read()
    with browser.open(url + "/account") as response:
        if urllib.parse.urlsplit(response.url).path != "/account":
            raise RuntimeError("the signup did not log the member in")
    request = urllib.request.Request(url + "/account")
    jar.add_cookie_header(request)
    return request.get_header("Cookie")


def lighthouse(url: str, report: Path, headers: Path | None, extra: list) -> dict:
    """Run Lighthouse on one page; its JSON report, also written to ``report``."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(GOALS),
        # --no-sandbox: Chromium's sandbox cannot start as root or in a container.
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if headers is not None:
        command.append(f"--extra-headers={headers}")
    command += extra
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(command, env=env, check=True, timeout=300)
    return json.loads(report.read_text())


def scores(result: dict) -> dict[str, float]:
    """A report's score per category, 0 to 1."""
    return {name: result["categories"][name]["score"] for name in GOALS}


def lost_points(result: dict) -> list[str]:
    """The audits that cost the page points, one line each, by category."""
    lines = []
    for name in GOALS:
        category = result["categories"][name]
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"{name}: {audit['title']} ({audit['score']:.2f}) {shown}")
    return lines


@dataclass
class Measured:
    """One page's median run: its scores, the audits that cost it points,
    and what Lighthouse warned of."""

    label: str
    scores: dict[str, float]
    lost: list[str]
    warnings: list[str]


def measure(
    site: Site, cookie: str, runs: int, folder: Path, extra: list
) -> list[Measured]:
    """Run Lighthouse ``runs`` times on each page; each page's median run."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    headers = folder / "member-headers.json"
    headers.write_text(json.dumps({"Cookie": cookie}))
    rows = []
    for path, logged_in in PAGES:
        name = path.strip("/") or "home"
        results = []
        for run in range(runs):
            report = REPORTS / f"{name}-{run + 1}.json"
            member = headers if logged_in else None
            results.append(lighthouse(site.url + path, report, member, extra))
        performance = [scores(result)["performance"] for result in results]
        median = results[performance.index(statistics.median_low(performance))]
        label = f"{path} (member)" if logged_in else path
        rows.append(
            Measured(label, scores(median), lost_points(median), median["runWarnings"])
        )
    return rows


def print_table(rows: list[Measured]) -> bool:
    """The scores as a table, then what cost points; whether every goal was met."""
    width = max(len(row.label) for row in rows)
    print(f"{'page':<{width}}  " + "  ".join(f"{name:>14}" for name in GOALS))
    met = True
    for row in rows:
        cells = []
        for name, goal in GOALS.items():
            short = row.scores[name] < goal
            met &= not short
            cells.append(f"{row.scores[name]:>13.2f}{'!' if short else ' '}")
        print(f"{row.label:<{width}}  " + "  ".join(cells))
    for row in rows:
        for line in row.lost:
            print(f"{row.label}: {line}")
    for warning in dict.fromkeys(w for row in rows for w in row.warnings):
        print(f"Lighthouse: {warning}")
    goals = ", ".join(f"{name} {goal:.2f}" for name, goal in GOALS.items())
    print(f"goals: {goals} ({'all met' if met else '! marks a miss'})")
    return met


def main() -> int:
    """Prepare a site, measure every page, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median)")
    options, extra = parser.parse_known_args()
    for needed in (CHROMIUM, LIGHTHOUSE):
        if not needed.exists():
            print(f"{needed} is missing: run `make lighthouse`", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="cookiesite-lighthouse-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
            "COOKIESITE_ENV": "development",
            "FLASK_SECRET_KEY": secrets.token_hex(32),
        }
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "cookiesite", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with Site(env, folder / "site.log") as site:
            cookie = sign_up(site.url, *MEMBER)
            rows = measure(site, cookie, options.runs, folder, extra)
    return 0 if print_table(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
