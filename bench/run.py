"""``make bench``: the site under load, next to a bare Flask page.

Both apps run under the same gunicorn settings (2 sync workers, like a small
deploy) and are loaded with wrk, alternating baseline and page runs and
repeating them; the table reports medians and each page's throughput as a
ratio of the baseline from the same round, with PASS/FAIL against the
guards: the least each page may do, so that a change that makes the site
much slower is seen. The table is also written to ``bench/RESULTS.md``.

Everything it starts listens on 127.0.0.1 only, and every run is bounded by
``--seconds``.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PASSWORD = "bench password 1"

#: Every request the bench makes, from urllib or wrk, comes from one browser,
#: as a real visitor's requests do (wrk would send no User-Agent at all).
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) cookiesite-bench"

#: (label, ratio to the baseline it must reach, or None for no guard).
TARGETS = {
    # Measured with the session cookie a first visit hands out, as every
    # later request of a visitor carries it.
    "anonymous / (returning visitor)": 0.30,
    # No cookies at all on every request: each one is a first visit that
    # makes a CSRF token and a session. Shown, not guarded.
    "anonymous / (first visit, no cookies)": None,
    "member / (session cookie)": 0.18,
    "member / (remember cookie only)": 0.15,
    # The reports are read by a returning visitor too (the session cookie of
    # a first page, no consent: reading them records nothing).
    "/reports, 100 000 page views": None,
    "/reports, 1 000 000 page views": 0.11,
    "POST /login": None,
}


#: Why a first anonymous visit that submits nothing gets each cookie.
WHY_FIRST_VISIT = {
    "session": "every page carries forms (the navbar's theme switch, the consent"
    " banner's two buttons) and their CSRF token has to be kept somewhere the"
    " attacker's page cannot read; Flask-WTF keeps it in Flask's session. No"
    " theme, consent or analytics cookie is set before the visitor asks for one.",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn with 2 sync workers on a free loopback port."""

    def __init__(self, app: str, env: dict, cwd: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._args = [
            str(BIN / "gunicorn"),
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{self.port}",
            "--log-level=warning",
            app,
        ]
        self._env = {**os.environ, **env}
        self._cwd = cwd

    def __enter__(self):
        self._process = subprocess.Popen(self._args, env=self._env, cwd=self._cwd)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        self._process.kill()
        raise RuntimeError(f"gunicorn {self._args[-1]} did not start")

    def __exit__(self, *exc):
        self._process.terminate()
        self._process.wait(timeout=15)


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[unit]


def wrk(url: str, seconds: int, cookie: str | None = None, script=None) -> dict:
    """Load ``url`` for ``seconds``; requests/s and p50/p99 latency (ms)."""
    args = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    args[1:1] = ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": _seconds(re.search(r"\s50%\s+(\S+)", out)[1]) * 1000,
        "p99": _seconds(re.search(r"\s99%\s+(\S+)", out)[1]) * 1000,
        "errors": int(errors[1]) if errors else 0,
    }


def seed_page_views(database: Path, total: int, start: int) -> None:
    """Bulk-insert page views ``start`` .. ``total`` spread over 60 days.

    About 20 views per visit and 5 visits per visitor, on the four report
    pages; the database trigger keeps the daily rollup as each row lands.
    """
    pages = ["/reports", "/reports/pages", "/reports/themes", "/reports/your-visit"]
    now = datetime.now(UTC).replace(tzinfo=None)
    span = timedelta(days=60).total_seconds()

    def rows():
        for n in range(start, total):
            visit = n // 20
            yield (
                f"{visit // 5:032x}",
                f"{visit:032x}",
                pages[n % 4],
                (now - timedelta(seconds=span * (1 - n / total))).isoformat(" "),
            )

    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO page_views (visitor, visit, page, time) VALUES (?, ?, ?, ?)",
            rows(),
        )


def prepare_site(workdir: Path) -> dict:
    """A migrated SQLite database with a member; the environment to serve it."""
    database = workdir / "bench.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "FLASK_SECRET_KEY": secrets.token_hex(32),
        # The bench measures pages, not the login throttle.
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    flask = [str(BIN / "flask"), "--app", "cookiesite"]
    full_env = {**os.environ, **env}
    subprocess.run(
        [*flask, "db", "upgrade"],
        env=full_env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    subprocess.run(
        [*flask, "create-admin", "bench", "--password", PASSWORD],
        env=full_env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return {"env": env, "database": database}


def browser(jar: CookieJar) -> urllib.request.OpenerDirector:
    """A urllib opener keeping cookies in ``jar``, with the bench's User-Agent."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener


def _csrf(opener, url: str) -> str:
    page = opener.open(url).read().decode()
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]


def member_cookies(base: str) -> tuple[CookieJar, str]:
    """Log in with Remember me and accept analytics, as a browser would."""
    jar = CookieJar()
    opener = browser(jar)
    token = _csrf(opener, base + "/login")
    form = {
        "csrf_token": token,
        "username": "bench",
        "password": PASSWORD,
        "remember": "y",
    }
    opener.open(base + "/login", urllib.parse.urlencode(form).encode()).read()
    token = _csrf(opener, base + "/")
    form = {"csrf_token": token, "choice": "accept", "next": "/"}
    opener.open(base + "/consent", urllib.parse.urlencode(form).encode()).read()
    opener.open(base + "/reports").read()
    return jar, token


def cookie_header(jar: CookieJar, path: str, names=None) -> str:
    """The Cookie header the browser would send to ``path``."""
    return "; ".join(
        f"{c.name}={c.value}"
        for c in jar
        if path.startswith(c.path) and (names is None or c.name in names)
    )


def anonymous_session(base: str) -> str:
    """The Cookie header of an anonymous visitor after the first page."""
    jar = CookieJar()
    opener = browser(jar)
    opener.open(base + "/").read()
    return cookie_header(jar, "/")


def first_visit(base: str) -> list[str]:
    """The cookies a first anonymous visit to / is given."""
    response = browser(CookieJar()).open(base + "/")
    return [h.split("=", 1)[0] for h in response.headers.get_all("Set-Cookie") or []]


def login_script(workdir: Path, base: str) -> Path:
    """A wrk script that posts the login form with a valid CSRF token."""
    jar = CookieJar()
    opener = browser(jar)
    token = _csrf(opener, base + "/login")
    body = urllib.parse.urlencode(
        {"csrf_token": token, "username": "bench", "password": PASSWORD}
    )
    script = workdir / "login.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie_header(jar, "/login")}"\n'
    )
    return script


def measure(label, baseline, page, rounds, seconds) -> dict:
    """Alternate baseline and page runs; medians and the median ratio."""
    runs, ratios, base_runs = [], [], []
    for _ in range(rounds):
        base = baseline()
        result = page()
        base_runs.append(base)
        runs.append(result)
        ratios.append(result["rps"] / base["rps"])
        print(
            f"  {label}: {result['rps']:.0f} req/s vs baseline {base['rps']:.0f}",
            flush=True,
        )
    return {
        "label": label,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "baseline": statistics.median(r["rps"] for r in base_runs),
        "ratio": statistics.median(ratios),
    }


def table(results: list[dict], scaling: float, extras: list[str]) -> str:
    lines = [
        "| page | req/s | p50 ms | p99 ms | baseline req/s | ratio | guard | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        target = TARGETS[r["label"]]
        verdict = (
            "—" if target is None else ("PASS" if r["ratio"] >= target else "FAIL")
        )
        if r["errors"]:
            verdict = f"FAIL ({r['errors']} non-2xx/3xx)"
        lines.append(
            f"| {r['label']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['baseline']:.0f} | {r['ratio']:.2f}× "
            f"| {'—' if target is None else f'≥ {target:.2f}×'} | {verdict} |"
        )
    verdict = "PASS" if scaling <= 1.5 else "FAIL"
    lines.append(
        f"| /reports 1 M vs 100 k | | | | | {scaling:.2f}× slower | ≤ 1.50× "
        f"| {verdict} |"
    )
    return "\n".join(lines + [""] + extras)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="baseline/page pairs")
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="measure only the pages whose label contains TEXT (while optimizing)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: `apt-get install wrk` (make bench does it as root)")
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="cookiesite-bench-"))
    site = prepare_site(workdir)
    print("Seeding 100 000 page views...", flush=True)
    seed_page_views(site["database"], 100_000, 0)
    results = []
    run = {"seconds": args.seconds}
    baseline_app = Gunicorn("app:app", {}, ROOT / "bench" / "baseline")
    with (
        baseline_app as baseline,
        Gunicorn("cookiesite:create_app()", site["env"], ROOT) as server,
    ):
        jar, _ = member_cookies(server.url)
        session = cookie_header(jar, "/", {"session"})
        remember = cookie_header(jar, "/", {"remember"})
        member_all = cookie_header(jar, "/")
        reports_all = cookie_header(jar, "/reports")
        base = lambda: wrk(baseline.url + "/", **run)  # noqa: E731
        anonymous = anonymous_session(server.url)
        pages = [
            (
                "anonymous / (returning visitor)",
                lambda: wrk(server.url + "/", cookie=anonymous, **run),
            ),
            (
                "anonymous / (first visit, no cookies)",
                lambda: wrk(server.url + "/", **run),
            ),
            (
                "member / (session cookie)",
                lambda: wrk(server.url + "/", cookie=session, **run),
            ),
            (
                "member / (remember cookie only)",
                lambda: wrk(server.url + "/", cookie=remember, **run),
            ),
            (
                "/reports, 100 000 page views",
                lambda: wrk(server.url + "/reports", cookie=anonymous, **run),
            ),
        ]
        wanted = lambda label: args.only is None or args.only in label  # noqa: E731
        for label, page in pages:
            if wanted(label):
                results.append(measure(label, base, page, args.rounds, args.seconds))
        label = "/reports, 1 000 000 page views"
        if wanted(label):
            print("Seeding up to 1 000 000 page views...", flush=True)
            seed_page_views(site["database"], 1_000_000, 100_000)
            reports = lambda: wrk(server.url + "/reports", cookie=anonymous, **run)  # noqa: E731
            results.append(measure(label, base, reports, args.rounds, args.seconds))
        if wanted("POST /login"):
            script = login_script(workdir, server.url)
            login = lambda: wrk(server.url + "/login", script=script, **run)  # noqa: E731
            results.append(
                measure("POST /login", base, login, args.rounds, args.seconds)
            )
        first = first_visit(server.url)
    if args.only is not None:
        for r in results:
            print(f"{r['label']}: {r['rps']:.0f} req/s, {r['ratio']:.2f}× the baseline")
        shutil.rmtree(workdir, ignore_errors=True)
        return 0

    by_label = {r["label"]: r for r in results}
    scaling = (
        by_label["/reports, 100 000 page views"]["rps"]
        / by_label["/reports, 1 000 000 page views"]["rps"]
    )
    extras = [
        f"Cookie header of a logged-in member with consent: {len(member_all)} bytes"
        f" to `/` (target < 600: {'PASS' if len(member_all) < 600 else 'FAIL'}),"
        f" {len(reports_all)} bytes to `/reports`.",
        f"A first anonymous visit to `/` sets {len(first)} cookie(s):"
        f" {', '.join(first) or 'none'}.",
        *(
            f"- `{name}`: {WHY_FIRST_VISIT.get(name, 'not expected: investigate')}"
            for name in first
        ),
    ]
    text = table(results, scaling, extras)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.write_text(
        f"# Benchmark results\n\nMade by `make bench` on {stamp}: gunicorn with 2 sync"
        f" workers, wrk with 2 threads and 8 connections, {args.rounds} rounds of"
        f" {args.seconds} s per page, medians. The baseline is a bare Flask page"
        f" rendering `request.cookies` (bench/baseline). Anonymous rows other than"
        f" the first visit send the session cookie a first page hands out.\n\n"
        f"{text}\n"
    )
    print("\n" + text + f"\n\nWritten to {RESULTS.relative_to(ROOT)}.")
    shutil.rmtree(workdir, ignore_errors=True)
    failed = "FAIL" in text
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
