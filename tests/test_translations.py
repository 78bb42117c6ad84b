"""The German catalogue is complete and in step with the code.

``make translations`` gathers the texts to translate from the code and the
templates into each catalogue; these tests fail when a text was added or
changed without its German, or a German text lost a placeholder.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "site" / "translations"
GERMAN = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """Every text the code and templates mark for translation, as
    ``make translations`` gathers them."""
    template = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(  # noqa: S603 (the venv's pybabel, fixed arguments)
        [
            Path(sys.executable).parent / "pybabel",
            "--quiet",
            "extract",
            "--no-location",
            "-F",
            TRANSLATIONS / "babel.cfg",
            "-k",
            "_l",
            "-o",
            template,
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with template.open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


@pytest.fixture(scope="module")
def german():
    with GERMAN.open("rb") as file:
        return read_po(file)


def test_every_text_has_its_german(texts, german):
    translated = {
        message.id
        for message in german
        if message.id and not message.fuzzy and message.string and all(message.string)
    }
    assert sorted(map(str, texts - translated)) == []


def test_no_german_is_left_for_a_text_that_is_gone(texts, german):
    kept = {message.id for message in german if message.id}
    assert sorted(map(str, kept - texts)) == []
    assert not german.obsolete


def test_german_keeps_the_placeholders(german):
    """Babel's checks: the same %(name)s placeholders as the English."""
    problems = [
        f"{message.id!r}: {error}"
        for message, errors in german.check()
        for error in errors
    ]
    assert problems == []


def test_the_site_names_the_plural_rule_of_german(german):
    assert german.locale.language == "de"
    assert german.plural_forms == "nplurals=2; plural=(n != 1);"
