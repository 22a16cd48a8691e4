"""`zhashui cite`: each style against its standard's published examples, CSL-JSON against the
CSL schema and processor (citeproc-py), and every citation naming its section and quote."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import citeproc
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.output.cite import Style, bibtex, csl_item, reference
from zhashui_cli.records import FactRecord, SourceRecord

from .conftest import edit_section

SCHEMAS = Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles"


def source(**given: Any) -> SourceRecord:
    record: dict[str, Any] = {
        "id": "s",
        "title": "",
        "title_en": "",
        "published": "",
        "publisher": None,
        "url": None,
        "accessed": None,
        "language": "zh-Hans",
        "text": "s.txt",
        "sections": [],
        "names": [],
    }
    return record | given  # type: ignore[return-value]


def cite(*args: str) -> str:
    result = CliRunner().invoke(app, ["cite", "2023-loans-coordinated", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_gbt7714_cites_an_online_source_as_the_standards_example() -> None:
    """GB/T 7714-2015, 8.8 and A.8: an electronic resource [EB/OL] with (published)[accessed]."""
    example = source(
        title="出版业信息化迈入快车道",
        publisher="萧钰",
        published="2001-12-19",
        accessed="2002-04-15",
        url="http://www.creader.com/news/20011219/200112190019.html",
    )
    assert reference(example, Style.GBT7714) == (
        "萧钰. 出版业信息化迈入快车道[EB/OL]. (2001-12-19)[2002-04-15]. "
        "http://www.creader.com/news/20011219/200112190019.html."
    )


def test_gbt7714_cites_a_source_without_url_or_publisher_by_its_title_as_other() -> None:
    example = source(title="柞水县公报", published="2024-02-07 09:41:58")
    assert reference(example, Style.GBT7714) == "柞水县公报[Z]. 2024-02-07."


def test_apa_cites_a_webpage_as_the_manuals_example() -> None:
    """APA 7, 10.16, example 110 (a webpage on a news website by a group author)."""
    example = source(
        title="Managing epidemics: Key facts about major deadly diseases",
        publisher="World Health Organization",
        published="2018-05-24",
        language="en",
        url="https://www.who.int/emergencies/diseases/managing-epidemics-interactive.pdf",
    )
    assert reference(example, Style.APA) == (
        "World Health Organization. (2018, May 24). Managing epidemics: Key facts about major deadly diseases. "
        "https://www.who.int/emergencies/diseases/managing-epidemics-interactive.pdf"
    )


def test_apa_translates_a_title_in_another_language_and_says_when_it_was_retrieved() -> None:
    example = source(
        title="柞水县公报",
        title_en="Zhashui bulletin",
        published="2024-02-07",
        url="https://example.org/a",
        accessed="2024-03-01",
    )
    assert reference(example, Style.APA) == (
        "柞水县公报 [Zhashui bulletin]. (2024, February 7). Retrieved March 1, 2024, from https://example.org/a"
    )


@pytest.mark.parametrize("style", ["gbt7714", "apa", "plain"])
def test_every_style_names_the_section_heading_and_the_quote(style: str) -> None:
    lines = cite("--style", style).splitlines()
    assert lines[0].startswith("[1] 柞水县2023年经济社会工作八大亮点和2024年工作展望")
    assert "亮点二：坚持稳中求进，经济发展提质提效" in lines[1] and "“协调金融贷款9.24亿元”" in lines[1]


def _csl_names(rnc: str) -> set[str]:
    return set(re.findall(r'"([a-z][a-z-]*|URL|DOI|ISBN|ISSN|PMCID|PMID)"', (SCHEMAS / rnc).read_text()))


def test_csl_json_holds_only_csl_types_and_variables_and_citeproc_renders_it() -> None:
    [item] = json.loads(cite("--format", "csl-json"))
    assert item["type"] in _csl_names("csl-types.rnc")
    assert set(item) - {"id", "type"} <= _csl_names("csl-variables.rnc")
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [entry] = [str(entry) for entry in bibliography.bibliography()]
    assert "柞水县2023年经济社会工作八大亮点和2024年工作展望" in entry and "2024" in entry


def test_csl_json_of_an_online_source_carries_its_url_and_dates() -> None:
    fact: FactRecord = {"id": "f", "section": "x", "quote": "q"}  # type: ignore[typeddict-item]
    item = csl_item(fact, source(title="T", published="2024-02-07", url="https://e.org", accessed="2024-03-01"))
    assert (item["type"], item["URL"], item["issued"], item["accessed"]) == (
        "webpage",
        "https://e.org",
        {"date-parts": [[2024, 2, 7]]},
        {"date-parts": [[2024, 3, 1]]},
    )


def test_bibtex_is_an_entry_keyed_by_the_fact_with_its_section_and_quote() -> None:
    assert cite("--format", "bibtex") == (
        "@misc{2023-loans-coordinated,\n"
        "  title = {柞水县2023年经济社会工作八大亮点和2024年工作展望},\n"
        "  date = {2024-02-07},\n"
        "  year = {2024},\n"
        "  language = {zh-Hans},\n"
        "  chapter = {亮点二：坚持稳中求进，经济发展提质提效},\n"
        "  note = {“协调金融贷款9.24亿元”}\n"
        "}\n"
    )


def test_bibtex_escapes_what_bibtex_reads_as_commands_but_not_the_url() -> None:
    fact: FactRecord = {"id": "f", "section": "x", "quote": "50% & more"}  # type: ignore[typeddict-item]
    entry = bibtex([(fact, source(title="T_1", published="2024-02-07", url="https://e.org/a_b%20c"))])
    assert "title = {T\\_1}" in entry and "note = {“50\\% \\& more”}" in entry
    assert "url = {https://e.org/a_b%20c}" in entry and entry.startswith("@online{f,")


def test_an_unknown_id_is_not_found() -> None:
    result = CliRunner().invoke(app, ["cite", "nope"])
    assert result.exit_code == 1
    assert result.stderr == "zhashui: no fact with id 'nope'; `zhashui search` lists the ids\n"


def test_show_prints_the_source_with_its_publisher_and_date_and_the_section_by_its_heading(tmp_path: Path) -> None:
    base = (Path(__file__).parent / "broken" / "base.yaml").read_text(encoding="utf-8")
    (tmp_path / "sample.txt").write_bytes((Path(__file__).parent / "broken" / "sample.txt").read_bytes())
    with_publisher = base.replace(
        "    language: zh-Hans\n", "    publisher: 测试县人民政府\n    language: zh-Hans\n", 1
    )
    (tmp_path / "facts.yaml").write_text(with_publisher, encoding="utf-8")
    result = CliRunner().invoke(app, ["show", "2023-loans", "--facts", str(tmp_path / "facts.yaml")])
    lines = result.stdout.splitlines()
    assert "Source\t测试公报 · 测试县人民政府 · 2024-01-01" in lines
    assert "Section\t亮点一 · Highlight 1" in lines


def test_the_sqlite_export_keeps_what_a_citation_needs(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    result = CliRunner().invoke(app, ["export", "--sqlite", str(tmp_path / "z.db")])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(tmp_path / "z.db")) as db:  # a with of the connection only commits
        columns = [row[1] for row in db.execute("PRAGMA table_info(sources)")]
        row = db.execute("SELECT publisher, url, accessed, published FROM sources").fetchone()
    assert columns == ["id", "title", "title_en", "published", "publisher", "url", "accessed", "language", "text"]
    assert row == (None, None, None, "2024-02-07 09:41:58")  # what the bulletin does not say stays unsaid


def test_an_index_built_before_sources_had_a_url_is_not_trusted() -> None:
    """A cache written by this version before a source field was added is rebuilt, not read
    with the field missing (cite would fail on it)."""
    from zhashui_cli.errors import CorruptIndexError
    from zhashui_cli.factfile.store import load, packaged_fact_file, source_path
    from zhashui_cli.index.build import build
    from zhashui_cli.index.corpus import Corpus

    loaded = load(packaged_fact_file())
    paths = {s.id: str(source_path(packaged_fact_file(), s.text)) for s in loaded.file.sources}
    header, body = build(loaded.file, paths)
    assert Corpus(header, body).sources[0]["url"] is None
    body = edit_section(header, body, "json.sources", lambda sources: [s.pop("url") for s in sources])
    with pytest.raises(CorruptIndexError, match="lack fields"):
        _ = Corpus(header, body).sources
