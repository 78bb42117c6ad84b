"""Reading pages as HTML, the way a browser sees them, for assertions.

Tests find elements by what they are (a button's text, a form's action, a
field's name) rather than matching exact markup with regexes, so a change of
attribute order or whitespace cannot break them, and a missing element fails
with a clear message.
"""

from bs4 import BeautifulSoup
from bs4 import Tag


def page(response) -> BeautifulSoup:
    """The response's body as a parsed document."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(element: Tag | BeautifulSoup) -> str:
    """The visible text of an element, whitespace collapsed to single spaces."""
    return " ".join(element.get_text(" ").split())


def one(element: Tag | BeautifulSoup, selector: str) -> Tag:
    """The single element matching the CSS ``selector``; fails otherwise."""
    found = element.select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def csrf_token(response) -> str:
    """The CSRF token the page's forms carry (they all carry the same one)."""
    tokens = {
        field["value"] for field in page(response).select("input[name=csrf_token]")
    }
    assert len(tokens) == 1, f"the page's forms carry {len(tokens)} tokens"
    return tokens.pop()


def inspector(response) -> Tag:
    """The cookie inspector panel at the foot of the page."""
    return one(page(response), "details.cookie-inspector")


def buttons(response) -> list[str]:
    """The text of every button of the page, in order."""
    return [text(button) for button in page(response).find_all("button")]


def table_rows(element: Tag | BeautifulSoup) -> list[list[str]]:
    """The body rows of the first table in ``element``, as lists of cell texts."""
    table = element.find("table")
    assert table is not None, "no table"
    body = table.find("tbody") or table
    return [
        [text(cell) for cell in row.find_all(["th", "td"])]
        for row in body.find_all("tr")
    ]
