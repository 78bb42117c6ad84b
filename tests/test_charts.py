"""The SVG charts written by cookiesite.reports.charts."""

from xml.etree import ElementTree

from cookiesite.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    # The inline element has no namespace; XML parsing needs one. The markup
    # is our own output, not untrusted input.
    namespaced = str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ElementTree.fromstring(namespaced)  # noqa: S314


def test_a_column_chart_is_well_formed_svg_with_one_bar_per_point():
    points = [("1 Nov", 3), ("2 Nov", 0), ("3 Nov", 6)]
    svg = parse(charts.svg_chart(charts.columns("c", "Title", "Desc", points)))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    bars = svg.findall(f"{SVG}g[@class='chart-bars']/{SVG}rect")
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "1 Nov: 3",
        "2 Nov: 0",
        "3 Nov: 6",
    ]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == 0 and heights[2] == 2 * heights[0] > 0
    assert len(svg.findall(f"{SVG}g[@class='chart-axes']/{SVG}line")) == 2


def test_every_word_in_a_chart_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    chart = charts.bars('id"><script>', evil, evil, [(evil, 2)])
    markup = str(charts.svg_chart(chart))
    assert "<script>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == evil
    assert svg.find(f"{SVG}desc").text == evil
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert evil in texts and "2" in texts
    # The id, escaped in the attribute, reads back whole.
    ids = 'id"><script>-title id"><script>-desc'
    assert svg.get("aria-labelledby") == ids
