"""The README stays true: its cookie table is the catalogue's."""

from pathlib import Path

from cookiesite.policy import README_MARKERS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_cookie_table_matches_the_catalogue(runner):
    result = runner.invoke(args=["cookie-table"])
    assert result.exit_code == 0, result.output
    table = result.output.strip()
    assert table.count("\n") == 9  # header, rule, eight cookies
    start, end = README_MARKERS
    text = README.read_text()
    in_readme = text.split(start, 1)[1].split(end, 1)[0].strip()
    assert in_readme == table, (
        "README's cookie table is out of date: run"
        " .venv/bin/flask --app cookiesite cookie-table --write README.md"
    )


def test_cookie_table_write_replaces_only_the_table(runner, tmp_path):
    start, end = README_MARKERS
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{start}\nold\n{end}\nafter\n")
    result = runner.invoke(args=["cookie-table", "--write", str(readme)])
    assert result.exit_code == 0, result.output
    text = readme.read_text()
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{end}\nafter\n")
    assert "old" not in text and "| `theme` | preferences |" in text
