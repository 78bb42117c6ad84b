"""Reading pages as HTML, the way a browser sees them, for assertions.

Tests find elements by what they are (a button's text, a form's action, a
field's name, a table's column, the heading of a section) rather than
matching exact markup with regexes, so a change of attribute order or
whitespace cannot break them, and a missing element fails with a clear
message.

The functions that read a page take a test client's response, a string of
markup, or an element already parsed.
"""

from bs4 import BeautifulSoup
from bs4 import NavigableString
from bs4 import Tag

#: The elements a browser lays out as blocks of their own: their text is
#: kept apart from what comes before and after, where inline elements
#: (``<code>``, ``<strong>``, ``<a>``) run on with the words around them.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    # An SVG's title, description and labels are each a text of their own.
    "title", "desc", "text",
})  # fmt: skip

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def page(response) -> BeautifulSoup | Tag:
    """The response's body (or a string of markup) as a parsed document; an
    element passed in is returned as it is."""
    if isinstance(response, Tag):
        return response
    if isinstance(response, str):
        return BeautifulSoup(response, "html.parser")
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _strings(element: Tag):
    for child in element.children:
        if isinstance(child, Tag):
            block = child.name in BLOCKS
            if block:
                yield " "
            yield from _strings(child)
            if block:
                yield " "
        # Comments, doctypes and the code of scripts and styles are strings
        # of their own subclasses: none of them is shown.
        elif type(child) is NavigableString:
            yield child


def text(element: Tag | BeautifulSoup) -> str:
    """The visible text of an element, whitespace collapsed to single spaces.

    Block elements (paragraphs, cells, list items) are kept apart by a
    space; inline ones run on, so ``<strong>member</strong>.`` reads
    ``member.``, as on the screen.
    """
    return " ".join("".join(_strings(element)).split())


def one(element, selector: str) -> Tag:
    """The single element matching the CSS ``selector``; fails otherwise."""
    found = page(element).select(selector)
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
    """The text of every button of the page (or element), in order."""
    return [text(button) for button in page(response).find_all("button")]


def forms(response, action: str) -> list[Tag]:
    """Every form of the page (or element) that is sent to ``action``."""
    return page(response).find_all("form", action=action)


def alerts(response) -> list[str]:
    """The text of every alert of the page (``role="alert"``: the flashed
    messages and a form's errors), in order."""
    return [text(alert) for alert in page(response).select("[role=alert]")]


def section(element, heading: str) -> Tag:
    """The ``<section>`` that the heading reading ``heading`` opens; fails
    unless exactly one heading of the page reads so."""
    found = [h for h in page(element).find_all(HEADINGS) if text(h) == heading]
    assert len(found) == 1, f"{len(found)} headings read {heading!r}"
    container = found[0].find_parent("section")
    assert container is not None, f"the heading {heading!r} is in no section"
    return container


def _table(element) -> Tag:
    element = page(element)
    table = element if element.name == "table" else element.find("table")
    assert table is not None, "no table"
    return table


def table_rows(element) -> list[list[str]]:
    """The body rows of the first table in ``element`` (or of ``element``,
    a table), as lists of cell texts."""
    table = _table(element)
    body = table.find("tbody") or table
    return [
        [text(cell) for cell in row.find_all(["th", "td"])]
        for row in body.find_all("tr")
    ]


def table_dicts(element) -> list[dict[str, str]]:
    """The body rows of the first table in ``element`` (or of ``element``,
    a table), each a dict from its column's heading to the cell's text, so
    a test reads ``row["Path"]`` whatever the order of the columns."""
    table = _table(element)
    head = table.find("thead")
    assert head is not None, "the table has no column headings"
    columns = [text(cell) for cell in head.find_all("th")]
    rows = table_rows(table)
    for row in rows:
        assert len(row) == len(columns), f"{row} under the columns {columns}"
    return [dict(zip(columns, row, strict=True)) for row in rows]
