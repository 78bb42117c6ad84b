"""A short description of a device from its ``User-Agent`` header.

"Firefox on Linux" is all the devices list needs, so a few ordered patterns
do the job; a full parser (``user-agents`` and its regex database) would be
a dependency to keep up to date for a label. Order matters: Edge and Opera
also say "Chrome", Chrome also says "Safari", iPhones also say "Mac OS X".

The description is stored with the login record, in English, and shown in
the language of each page that lists it (:func:`label`): the member and an
admin may read the same record in different languages.
"""

import re

from flask_babel import gettext as _

from cookiesite.prefs.language import N_

#: Browsers, most specific first: the first pattern found names the browser.
BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Headless Chrome", re.compile(r"\bHeadlessChrome/")),
    ("Chromium", re.compile(r"\bChromium/")),
    ("Chrome", re.compile(r"\bChrome/|\bCriOS/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)

#: Operating systems, most specific first.
SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)

#: The column holds this many characters.
MAX_LENGTH = 120


#: How a description is worded, as stored.
BROWSER_ON_SYSTEM = N_("%(browser)s on %(system)s")
SOME_BROWSER_ON_SYSTEM = N_("A browser on %(system)s")
UNKNOWN = N_("Unknown device")

#: A program that is not a browser names itself first: ``curl/8.5.0``.
_PROGRAM = re.compile(r"[A-Za-z][\w.-]{0,40}")


def describe(user_agent: str | None) -> str:
    """ "Browser on system", as much of it as the header tells."""
    if not user_agent or not user_agent.strip():
        return UNKNOWN
    browser = next((name for name, rx in BROWSERS if rx.search(user_agent)), None)
    system = next((name for name, rx in SYSTEMS if rx.search(user_agent)), None)
    if browser and system:
        return BROWSER_ON_SYSTEM % {"browser": browser, "system": system}
    if browser or system:
        return browser or SOME_BROWSER_ON_SYSTEM % {"system": system}
    program = _PROGRAM.match(user_agent.strip())
    return program[0][:MAX_LENGTH] if program else UNKNOWN


def _wordings():
    """Every description :func:`describe` words, with its wording and names."""
    yield UNKNOWN, UNKNOWN, {}
    for system, _rx in SYSTEMS:
        names = {"system": system}
        yield SOME_BROWSER_ON_SYSTEM % names, SOME_BROWSER_ON_SYSTEM, names
        for browser, _rx in BROWSERS:
            names = {"browser": browser, "system": system}
            yield BROWSER_ON_SYSTEM % names, BROWSER_ON_SYSTEM, names


#: A stored description, by its wording and the names filled in.
WORDED = {text: (wording, names) for text, wording, names in _wordings()}


def label(description: str) -> str:
    """A stored description in the page's language.

    A browser's or a program's name alone is the same in every language.
    """
    if description not in WORDED:
        return description
    wording, names = WORDED[description]
    return _(wording, **names)
