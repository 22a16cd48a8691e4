"""Citations of facts: GB/T 7714-2015, APA (7th edition) and plain text, as text, CSL-JSON
or BibTeX.

A journalist cites the bulletin, not zhashui, and a reader must be able to find the words: so
each citation is the source's own reference (its title, who published it, when, where it was
read), followed by the section heading and the quote. Nothing a source does not say is made
up: a source without a publisher is cited by its title, one without a url as a document
rather than an online resource ([Z], not [EB/OL]), one without an access date without one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from zhashui_cli.records import FactRecord, SourceRecord

_MONTHS = "January February March April May June July August September October November December".split()


class Style(str, Enum):
    GBT7714 = "gbt7714"
    APA = "apa"
    PLAIN = "plain"


class CiteFormat(str, Enum):
    TEXT = "text"
    CSL_JSON = "csl-json"
    BIBTEX = "bibtex"


def section_title(source: SourceRecord, section_id: str) -> str:
    """The heading of a fact's section, as the source writes it."""
    return next((s["title"] for s in source["sections"] if s["id"] == section_id), section_id)


def _date(text: str) -> tuple[int, int, int]:
    year, month, day = (int(part) for part in text[:10].split("-"))
    return year, month, day


# -- text ---------------------------------------------------------------------------------------
def reference(source: SourceRecord, style: Style) -> str:
    """The source's entry in a reference list, in a style."""
    return {Style.GBT7714: _gbt7714, Style.APA: _apa, Style.PLAIN: _plain}[style](source)


def _gbt7714(source: SourceRecord) -> str:
    """GB/T 7714-2015 §4.7 and §8.8: 主要责任者. 题名[类型/载体]. (发表日期)[引用日期]. 访问路径.
    A source without a publisher starts with its title, as the numbered system allows (§8.1.2)."""
    author = f"{source['publisher']}. " if source["publisher"] else ""
    published = source["published"][:10]
    if source["url"] is None:
        return f"{author}{source['title']}[Z]. {published}."
    accessed = f"[{source['accessed']}]" if source["accessed"] else ""
    return f"{author}{source['title']}[EB/OL]. ({published}){accessed}. {source['url']}."


def _apa(source: SourceRecord) -> str:
    """APA 7 (§10.16, a webpage; §9.38, a title in another language with its translation in
    square brackets). Without an author the title stands first (§9.12)."""
    year, month, day = _date(source["published"])
    english = source["language"].split("-")[0] == "en"
    title = source["title"] if english else f"{source['title']} [{source['title_en']}]"
    when = f"({year}, {_MONTHS[month - 1]} {day})"
    head = f"{source['publisher']}. {when}. {title}." if source["publisher"] else f"{title}. {when}."
    if source["url"] is None:
        return head
    if source["accessed"]:
        a_year, a_month, a_day = _date(source["accessed"])
        return f"{head} Retrieved {_MONTHS[a_month - 1]} {a_day}, {a_year}, from {source['url']}"
    return f"{head} {source['url']}"


def _plain(source: SourceRecord) -> str:
    parts = [source["title"], source["publisher"], f"published {source['published']}", source["url"]]
    accessed = f"accessed {source['accessed']}" if source["accessed"] else None
    return ", ".join(part for part in (*parts, accessed) if part) + "."


def citation(fact: FactRecord, source: SourceRecord, style: Style) -> str:
    """A fact cited: the source's reference, then where in it the words stand, and the words."""
    where = section_title(source, fact["section"])
    if style is Style.GBT7714:
        return f"{reference(source, style)}\n    {where}：“{fact['quote']}”"
    return f"{reference(source, style)}\n    Section “{where}”: “{fact['quote']}”"


def text(cited: Sequence[tuple[FactRecord, SourceRecord]], style: Style) -> str:
    """The citations as a numbered list, [1] … [n], in the order asked for."""
    return "".join(f"[{n}] {citation(fact, source, style)}\n" for n, (fact, source) in enumerate(cited, 1))


# -- CSL-JSON -----------------------------------------------------------------------------------
def csl_item(fact: FactRecord, source: SourceRecord) -> dict[str, Any]:
    """A CSL-JSON item (citationstyles.org, csl-data.json) for a fact: Zotero, Pandoc and
    citeproc read it. The section heading is CSL's `section`; the quote its `note`."""
    item: dict[str, Any] = {
        "id": fact["id"],
        "type": "webpage" if source["url"] else "document",
        "title": source["title"],
        "language": source["language"],
        "issued": {"date-parts": [list(_date(source["published"]))]},
        "section": section_title(source, fact["section"]),
        "note": f"“{fact['quote']}”",
    }
    if source["publisher"]:
        item["publisher"] = source["publisher"]
    if source["url"]:
        item["URL"] = source["url"]
    if source["accessed"]:
        item["accessed"] = {"date-parts": [list(_date(source["accessed"]))]}
    return item


# -- BibTeX -------------------------------------------------------------------------------------
def bibtex(cited: Sequence[tuple[FactRecord, SourceRecord]]) -> str:
    """BibTeX entries (@online with a url, else @misc; biblatex reads both), one per fact, the
    fact's id its key."""
    return "\n".join(_bibtex_entry(fact, source) for fact, source in cited)


def _bibtex_entry(fact: FactRecord, source: SourceRecord) -> str:
    year, month, day = _date(source["published"])
    fields: dict[str, str | None] = {
        "title": source["title"],
        "organization": source["publisher"],
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "year": str(year),
        "url": source["url"],
        "urldate": source["accessed"],
        "language": source["language"],
        "chapter": section_title(source, fact["section"]),
        "note": f"“{fact['quote']}”",
    }
    kind = "online" if source["url"] else "misc"
    body = ",\n".join(
        f"  {key} = {{{value if key == 'url' else _braced(value)}}}" for key, value in fields.items() if value
    )
    return f"@{kind}{{{fact['id']},\n{body}\n}}\n"


def _braced(value: str) -> str:
    """A value safe inside BibTeX braces: its special characters escaped."""
    return re.sub(r"([{}&%$#_\\])", r"\\\1", value)


def csl_json(cited: Sequence[tuple[FactRecord, SourceRecord]]) -> list[Mapping[str, Any]]:
    return [csl_item(fact, source) for fact, source in cited]
