"""The package as a user installs it: not editable, from outside the repository.

In a fresh virtualenv in a temporary folder, ``pip install <repository>``
(with the lock file's versions, and the ``server`` extra), then, from that
folder: ``flask --app cookiesite db upgrade``, gunicorn serving the site, and
a few requests. The templates, static files and migrations must come from
the installed package, and the instance folder must be outside
site-packages. ``.ci/run`` runs it; by hand:
``.venv/bin/python tools/install_check.py``.
"""

import os
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str | Path, **kwargs) -> str:
    """Run ``command``; its output, or exit with it when the command fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def get(url: str, **headers: str) -> tuple[int, str]:
    """Status and body of a GET, waiting up to 30 s for the server to start."""
    deadline = time.monotonic() + 30
    request = urllib.request.Request(url, headers=headers)
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        venv = here / "venv"
        bin_ = venv / "bin"
        print(f"A fresh virtualenv in {venv}; installing {ROOT}[server] into it")
        run(sys.executable, "-m", "venv", venv)
        run(
            bin_ / "python", "-m", "pip", "install", "-qq",
            "-c", ROOT / "constraints.txt", f"{ROOT}[server]",
        )  # fmt: skip
        where = "import sysconfig; print(sysconfig.get_path('purelib'))"
        purelib = run(bin_ / "python", "-c", where).strip()
        package = Path(purelib) / "cookiesite"
        for folder in ("templates", "static", "migrations"):
            assert (package / folder).is_dir(), f"{folder}/ is not in the wheel"
        # Compiled by make before the wheel was built (`make translations`).
        german = package / "translations/de/LC_MESSAGES/messages.mo"
        assert german.is_file(), "the German catalogue is not in the wheel"

        # Nothing of this machine's site settings: only what the package knows.
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
        env.update(COOKIESITE_ENV="development", PYTHONDONTWRITEBYTECODE="1")
        flask = [bin_ / "flask", "--app", "cookiesite"]
        run(*flask, "db", "upgrade", cwd=here, env=env)
        instance = Path(
            run(
                bin_ / "python", "-c",
                "from cookiesite import create_app; print(create_app().instance_path)",
                cwd=here, env=env,
            ).strip()
        )  # fmt: skip
        assert not instance.is_relative_to(purelib), f"{instance} is in site-packages"
        assert (instance / "cookiesite.sqlite3").is_file(), f"no database in {instance}"
        print(f"Instance folder: {instance} (outside {purelib})")

        server = subprocess.Popen(  # noqa: S603
            [bin_ / "gunicorn", "--bind", "127.0.0.1:0", "cookiesite:create_app()"],
            cwd=here, env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            for line in server.stderr:
                if "Listening at: " in line:
                    base = line.split("Listening at: ")[1].split()[0]
                    break
            else:
                sys.exit("gunicorn did not start")
            status, body = get(base + "/")
            assert status == 200 and "cookiesite" in body, (status, body[:200])
            status, css = get(base + "/static/css/site.css")
            assert status == 200 and css == (ROOT / "static/css/site.css").read_text()
            status, _ = get(base + "/cookies")
            assert status == 200
            status, body = get(base + "/cookies", **{"Accept-Language": "de"})
            assert status == 200 and '<html lang="de"' in body, body[:200]
            print(
                f"Served from {here}: GET /, /static/css/site.css, /cookies"
                " (in English and in German): 200"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    python = sysconfig.get_python_version()
    print(f"Installed from the repository with Python {python}: fine")


if __name__ == "__main__":
    main()
