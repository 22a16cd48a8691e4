"""The provenance rules: what makes the fact base verifiable rather than merely plausible.

Every rule is a rule of the format, checked on any fact file: the loader runs them before a
search answers from a file, `zhashui verify` reports them all, and the tests call the same
code. A rule reads only the fact file and the texts of its sources, so a curator's new
bulletin gets the same checks as the packaged one:

- sections: each section's start stands once in its source, in order;
- quote-in-source, quote-once, quote-in-section: a quote stands once, verbatim, in its section;
- year: a fact is about the year of its section, where the section is about one year;
- year-stated, sentence, tags-languages: a fact's id and both its claims open with its year,
  each claim is one sentence (claims are quoted on their own), and its tags are in both
  languages, as the README's "Adding a fact" says. These three are editorial: their problems
  are warnings (records.EDITORIAL_RULES), and a draft that has only warnings can be searched;
- claim-figures: every number a claim states is a figure of its fact, and every figure is
  stated in both claims, each in its own notation (claims.py);
- figure-in-quote, qualifier: a figure stands in its quote as written, with the qualifier its
  wording implies (突破30亿元 is more_than, 1680人以上 at_least);
- script: claims and quotes carry no scrape residue, pinyin annotations or characters of
  another script than their language's;
- coverage (verify only, as it is about completeness): every number in a source is a figure of
  a fact or a declared name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from zhashui_cli._i18n import N_, Message
from zhashui_cli.records import Problem, Uncovered, problem

from .claims import ZH_NUMBER, en_numbers, en_qualifier, en_states, figure_match, shown, zh_numbers
from .model import Fact, FactFile, Figure, Name, Source
from .sentence import sentence_problem
from .units import figure_pattern, written_number
from .vocabulary import Qualifier
from .yamlfile import Position

Locate = Callable[[tuple[Any, ...]], "Position | None"]

# Words around a number that say how it bounds the real value: before it, or after its unit.
# (余 and 多 between the number and its unit are part of figure_pattern's match.)
QUALIFIER_WORDS: dict[Qualifier, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Qualifier.MORE_THAN: (("突破", "超过", "超", "逾", "高于", "多于"), ()),
    Qualifier.AT_LEAST: (("至少", "不少于", "不低于"), ("以上",)),
    Qualifier.APPROXIMATELY: (("约", "近", "接近", "将近", "大约"), ("左右",)),
}
_INFIXES = {"余": Qualifier.MORE_THAN, "多": Qualifier.MORE_THAN}

# Scrape residue in any language: HTML tags and their remains, entities, the replacement character.
_RESIDUE = re.compile(r"</?[a-z][^>]*>|/p>|&[a-z]+;|&#\d+;|\ufffd")
_PINYIN = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HALF_WIDTH_BESIDE_HAN = re.compile(rf"(?<={_HAN.pattern})[,:;()!]|[,:;()!](?={_HAN.pattern})")
_LATIN = re.compile(r"[A-Za-z]")
_LOST = "?"  # Chinese writes ？; an ASCII ? in Chinese text stands for a character the scrape lost
# A quantity in Chinese text: digits, or a run of Chinese numerals.
_NUMBERS = {"zh": ZH_NUMBER}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_END = "。；！？\n"
# How an English claim may open with its year: a period of it, or by its end for a total.
_YEAR_OPENINGS = (
    r"(?:In|During|Over|Throughout|By the end of"
    r"|In the (?:first|second) half of|In the (?:first|second|third|fourth) quarter of)"
)


class Context(NamedTuple):
    """What the rules read: the parsed file, where its fields stand, and which fact is where."""

    file: FactFile
    locate: Locate
    fact_paths: dict[str, tuple[Any, ...]]  # fact id → ("facts", n)


class _Spans(NamedTuple):
    """Where each section of a source starts, in text order."""

    starts: list[int]
    ids: list[str]

    def section_at(self, position: int) -> str | None:
        index = bisect_right(self.starts, position) - 1
        return self.ids[index] if index >= 0 else None


def check(context: Context, *, coverage: bool = False, sound: bool = True) -> list[Problem]:
    """Every provenance problem of the file; with coverage, also the numbers no fact covers,
    once the file is otherwise sound (a fact left out for a problem leaves numbers uncovered)."""
    found: list[Problem] = []
    spans: dict[str, _Spans] = {}
    for n, source in enumerate(context.file.sources):
        text = context.file.texts.get(source.id)
        if text is not None:
            spans[source.id] = _sections(context, n, source, text, found)
    for fact in context.file.facts:
        text = context.file.texts.get(fact.source)
        checked = (
            _fact_problems(context, fact, text, spans[fact.source]) if text is not None and fact.source in spans else []
        )
        rules = {entry["rule"] for entry in checked}
        if "year" not in rules:  # a wrong year: one problem, not four
            checked += _wording_problems(context, fact)
        figures_hold = fact.source in spans and not rules & {"year", "figure-in-quote", "qualifier"}
        if figures_hold:  # a claim is held to figures that hold: a wrong one is one problem, not three
            checked += _claim_problems(context, fact) + _claim_en_problems(context, fact)
        found += checked
    if coverage and sound and not found:
        found += [_uncovered_problem(entry) for entry in uncovered(context.file)]
    return found


def _at(context: Context, fact: Fact, field: str, message: Message, rule: str) -> Problem:
    path = (*context.fact_paths.get(fact.id, ()), *_field_path(field))
    return problem(context.file.path, message, rule=rule, field=field, fact=fact.id, place=context.locate(path))


def _field_path(field: str) -> tuple[Any, ...]:
    """figures[0].qualifier → ("figures", 0, "qualifier")."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", field) if part)


# -- sections ------------------------------------------------------------------------------
def _sections(context: Context, n: int, source: Source, text: str, found: list[Problem]) -> _Spans:
    starts: list[int] = []
    ids: list[str] = []
    for i, section in enumerate(source.sections):
        path = ("sources", n, "sections", i, "start")
        count = text.count(section.start)
        if count != 1:
            if count == 0:
                template = N_(
                    "'{start}' does not stand in the text of source '{source}'; give text that stands there once"
                )
            else:
                template = N_(
                    "'{start}' stands {count} times in the text of source '{source}'; give text that stands there once"
                )
            message = Message(template, start=section.start, count=count, source=source.id)
            found.append(_source_problem(context, path, message))
            continue
        position = text.index(section.start)
        if starts and position < starts[-1]:
            message = Message(
                "section '{section}' starts before section '{previous}'; list the sections in text order",
                section=section.id,
                previous=ids[-1],
            )
            found.append(_source_problem(context, path, message))
            continue
        starts.append(position)
        ids.append(section.id)
    for i, name in enumerate(source.names):
        if not re.search(name.pattern, text):
            message = Message(
                "matches nothing in the text of source '{source}'; remove the name or fix the pattern", source=source.id
            )
            found.append(_source_problem(context, ("sources", n, "names", i, "pattern"), message, "name"))
    return _Spans(starts, ids)


def _source_problem(context: Context, path: tuple[Any, ...], message: Message, rule: str = "section") -> Problem:
    field = f"sources[{path[1]}].{path[2]}[{path[3]}].{path[4]}"
    return problem(context.file.path, message, rule=rule, field=field, place=context.locate(path))


# -- facts ----------------------------------------------------------------------------------
def _fact_problems(context: Context, fact: Fact, text: str, spans: _Spans) -> list[Problem]:
    found = list(_script_problems(context, fact, _language(context.file, fact.source)))
    count = text.count(fact.quote)
    if count == 0:
        found.append(_at(context, fact, "quote", _quote_problem(fact, text), "quote-in-source"))
    elif count > 1:
        lines = sorted({text.count("\n", 0, m.start()) + 1 for m in re.finditer(re.escape(fact.quote), text)})
        if len(lines) == 1:
            template = N_("stands {count} times in source '{source}' (line {lines}); lengthen it until it is unique")
        else:
            template = N_("stands {count} times in source '{source}' (lines {lines}); lengthen it until it is unique")
        message = Message(template, count=count, source=fact.source, lines=", ".join(map(str, lines)))
        found.append(_at(context, fact, "quote", message, "quote-once"))
    else:
        found += _section_problems(context, fact, spans.section_at(text.index(fact.quote)))
    quoted: set[int] = set()  # where the figures before stand in the quote
    for n, figure in enumerate(fact.figures):
        found += _figure_problems(context, fact, n, figure, quoted)
    return found


def _section_problems(context: Context, fact: Fact, section_id: str | None) -> list[Problem]:
    if section_id != fact.section:
        if section_id:
            message = Message("the quote stands in {found}, not {section}", found=section_id, section=fact.section)
        else:
            message = Message("the quote stands before the first section, not {section}", section=fact.section)
        return [_at(context, fact, "section", message, "quote-in-section")]
    source = _source(context, fact)
    year = next(section.year for section in source.sections if section.id == section_id)
    if year is not None and year != fact.year:
        message = Message(
            "{year}, but section {section} is about {about}", year=fact.year, section=section_id, about=year
        )
        return [_at(context, fact, "year", message, "year")]
    return []


def _wording_problems(context: Context, fact: Fact) -> list[Problem]:
    """The year stated where a reader meets the fact first, and claims that are sentences."""
    year = str(fact.year)
    found = []
    if not fact.id.startswith(f"{year}-"):
        message = Message("does not start with its year; start it with {year}-", year=year)
        found.append(_at(context, fact, "id", message, "year-stated"))
    if not fact.claim.startswith(f"{year}年"):
        message = Message(
            "opens with «{opening}», not its year; open it with {year}年", opening=fact.claim[:6], year=year
        )
        found.append(_at(context, fact, "claim", message, "year-stated"))
    if not re.match(rf"{_YEAR_OPENINGS} {year}\b", fact.claim_en):
        opening = " ".join(fact.claim_en.split()[:3])
        message = Message(
            "opens with '{opening}', not its year; open it with 'In {year}' (a total: 'By the end of {year}')",
            opening=opening,
            year=year,
        )
        found.append(_at(context, fact, "claim_en", message, "year-stated"))
    for field, claim, language in (("claim", fact.claim, "zh"), ("claim_en", fact.claim_en, "en")):
        if wrong := sentence_problem(claim, language):
            found.append(_at(context, fact, field, wrong, "sentence"))
    if missing := _tag_languages_missing(fact.tags):
        message = Message("no tag in {languages}; add one a reader of that claim would search for", languages=missing)
        found.append(_at(context, fact, "tags", message, "tags-languages"))
    return found


def _tag_languages_missing(tags: Sequence[str]) -> Message | None:
    """The languages no tag is in: a fact is found by tags in Chinese and in English."""
    chinese = any(_HAN.search(tag) for tag in tags)
    english = any(_LATIN.search(tag) and not _HAN.search(tag) for tag in tags)
    if not chinese and not english:
        return Message("Chinese or English")
    if not chinese or not english:
        return Message("English") if chinese else Message("Chinese")
    return None


def _quote_problem(fact: Fact, text: str) -> Message:
    """Say where the quote leaves the source, which is usually the typo to fix."""
    low, high = 0, len(fact.quote)  # the longest prefix found; every shorter one is found too
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fact.quote[:middle] in text else (low, middle - 1)
    shown = fact.quote[:low] if low <= 20 else "…" + fact.quote[low - 20 : low]
    if low:
        return Message(
            "not found verbatim in source '{source}'; it matches up to «{shown}», then has «{then}»",
            source=fact.source,
            shown=shown,
            then=fact.quote[low : low + 10],
        )
    return Message("not found verbatim in source '{source}'", source=fact.source)


def _figure_problems(context: Context, fact: Fact, n: int, figure: Figure, quoted: set[int]) -> list[Problem]:
    match = figure_match(fact.quote, figure, quoted)
    if match is None:
        written = f"{written_number(figure.value)}{figure.unit}"
        message = Message("{figure} does not stand in the quote as written (value, then unit)", figure=written)
        return [_at(context, fact, f"figures[{n}]", message, "figure-in-quote")]
    quoted.update(range(match.start(), match.end()))
    implied, wording = implied_qualifier(fact.quote, match)
    if implied is figure.qualifier:
        return []
    if wording:
        template = N_("{qualifier}, but the quote writes «{wording}», which means {implied}")
    else:
        template = N_("{qualifier}, but the quote writes «{wording}» with no qualifying word, which means {implied}")
    message = Message(
        template, qualifier=figure.qualifier.value, wording=wording or match.group(), implied=implied.value
    )
    return [_at(context, fact, f"figures[{n}].qualifier", message, "qualifier")]


# -- claims agree with figures ------------------------------------------------------------------
def _source(context: Context, fact: Fact) -> Source:
    return next(source for source in context.file.sources if source.id == fact.source)


def _names(context: Context, fact: Fact) -> tuple[Name, ...]:
    return _source(context, fact).names


def _years(context: Context, fact: Fact) -> set[int]:
    return {fact.year} | {section.year for section in _source(context, fact).sections if section.year is not None}


def _claim_problems(context: Context, fact: Fact) -> list[Problem]:
    """Each figure stated in the Chinese claim as its quote writes it, with its qualifier's
    wording, and no other number there."""
    found, missing, stated = [], [], set[int]()
    for n, figure in enumerate(fact.figures):
        match = figure_match(fact.claim, figure, stated)
        if match is None:
            missing.append((n, Message("write it as the quote does, «{quoted}»", quoted=_quoted(fact, figure))))
            continue
        stated.update(range(match.start(), match.end()))
        implied, wording = implied_qualifier(fact.claim, match)
        if implied is not figure.qualifier:
            message = Message(
                "«{wording}» reads {implied}, but figures[{n}] is {qualifier}; word it as the quote does",
                wording=wording or match.group(),
                implied=implied.value,
                n=n,
                qualifier=figure.qualifier.value,
            )
            found.append(_at(context, fact, "claim", message, "claim-figures"))
    extras = [
        f"«{m.group()}»" for m in zh_numbers(fact.claim, fact.year, _names(context, fact)) if m.start() not in stated
    ]
    return found + _unmatched(context, fact, "claim", missing, extras)


def _claim_en_problems(context: Context, fact: Fact) -> list[Problem]:
    """Each figure stated in the English claim by its value in its base unit (924 million for
    9.24亿元) or before its unit's English name, with its qualifier in words, and no other
    number there but ordinals."""
    found, missing = [], []
    numbers = list(en_numbers(fact.claim_en, _years(context, fact), _names(context, fact), fact.figures))
    for n, figure in enumerate(fact.figures):
        number = next((number for number in numbers if en_states(fact.claim_en, number, figure)), None)
        if number is None:
            value = written_number(figure.base_value, grouped=True)
            if figure.scale.en:
                named = f"{written_number(figure.value, grouped=True)} {figure.scale.en}"
                hint = Message("write its value, as in '{value}' or '{named}'", value=value, named=named)
            else:
                hint = Message("write its value, as in '{value}'", value=value)
            missing.append((n, hint))
            continue
        numbers.remove(number)
        implied = en_qualifier(fact.claim_en, number.start)
        if implied is not figure.qualifier:
            message = Message(
                "'{written}' reads {implied}, but figures[{n}] is {qualifier}; {hint}",
                written=number.written,
                implied=implied.value,
                n=n,
                qualifier=figure.qualifier.value,
                hint=Message(_EN_HINTS[figure.qualifier]),
            )
            found.append(_at(context, fact, "claim_en", message, "claim-figures"))
    extras = [f"'{number.written}'" for number in numbers if not number.ordinal]
    return found + _unmatched(context, fact, "claim_en", missing, extras)


_EN_HINTS = {
    Qualifier.EXACT: N_("state the number without a qualifying word"),
    Qualifier.MORE_THAN: N_("write 'more than' (or 'over', 'exceeded') before it"),
    Qualifier.AT_LEAST: N_("write 'at least' before it"),
    Qualifier.APPROXIMATELY: N_("write 'about' (or 'around', 'nearly') before it"),
}


def _quoted(fact: Fact, figure: Figure) -> str:
    match = figure_match(fact.quote, figure)
    return match.group() if match else f"{written_number(figure.value)}{figure.unit}"


def _unmatched(
    context: Context, fact: Fact, field: str, missing: list[tuple[int, Message]], extras: list[str]
) -> list[Problem]:
    """A claim's numbers that are no figure and its figures it does not state, one problem
    each, or one for the pair when a number stands where a figure should (a typo)."""
    found = []
    for (n, _), written in zip(missing, extras, strict=False):
        message = Message(
            "states {written}, but figures[{n}] is {figure}; correct the number",
            written=written,
            n=n,
            figure=shown(fact.figures[n]),
        )
        found.append(_at(context, fact, field, message, "claim-figures"))
    for n, hint in missing[len(extras) :]:
        message = Message(
            "does not state figures[{n}] ({figure}); {hint}", n=n, figure=shown(fact.figures[n]), hint=hint
        )
        found.append(_at(context, fact, field, message, "claim-figures"))
    for written in extras[len(missing) :]:
        message = Message(
            "{written} is not a figure of the fact (its figures: {figures}); "
            "correct it, add its figure, or declare a name",
            written=written,
            figures=", ".join(shown(figure) for figure in fact.figures) or Message("none"),
        )
        found.append(_at(context, fact, field, message, "claim-figures"))
    return found


def implied_qualifier(quote: str, match: re.Match[str]) -> tuple[Qualifier, str]:
    """The qualifier that the words around a figure imply, and those words with the figure."""
    before, after = quote[: match.start()], quote[match.end() :]
    for infix, qualifier in _INFIXES.items():
        if infix in match.group():
            return qualifier, match.group()
    for qualifier, (prefixes, suffixes) in QUALIFIER_WORDS.items():
        prefix = next((word for word in prefixes if before.endswith(word)), None)
        if prefix is not None:
            return qualifier, prefix + match.group()
        suffix = next((word for word in suffixes if after.startswith(word)), None)
        if suffix is not None:
            return qualifier, match.group() + suffix
    return Qualifier.EXACT, ""


# -- script -----------------------------------------------------------------------------------
def _language(file: FactFile, source_id: str) -> str:
    return next(source.language for source in file.sources if source.id == source_id)


def script_problems(text: str, language: str) -> Iterator[Message]:
    """What does not belong in a text of this language: residue, pinyin, another script."""
    if residue := _RESIDUE.search(text):
        yield Message(
            "scrape residue «{residue}» at character {at}; restore the text",
            residue=residue.group(),
            at=residue.start() + 1,
        )
    if not language.startswith("zh"):
        if han := _HAN.search(text):
            yield Message(
                "Chinese character «{char}» in text of language {language}", char=han.group(), language=language
            )
        return
    if _LOST in text:
        yield Message(
            "«{char}» at character {at}, a character lost in the scrape; restore it",
            char=_LOST,
            at=text.index(_LOST) + 1,
        )
    if pinyin := _PINYIN.search(text):
        yield Message("a pinyin annotation («{letter}», a tone-marked letter); remove it", letter=pinyin.group())
    if punctuation := _HALF_WIDTH_BESIDE_HAN.search(text):
        yield Message(
            "half-width «{mark}» beside Chinese characters; use its full-width form", mark=punctuation.group()
        )
    if language.endswith("Hans") and not in_gb2312(text):  # the whole text first: it mostly is
        for char in _HAN.findall(text):
            if not in_gb2312(char):
                yield Message(
                    "«{char}» (U+{code}) is not a simplified character (not in GB 2312); convert it",
                    char=char,
                    code=format(ord(char), "04X"),
                )
                break


def in_gb2312(text: str) -> bool:
    """Whether every character of text is in GB 2312, the simplified characters a fact file's
    Chinese is written in (the benchmarks' synthetic names are held to it too)."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _script_problems(context: Context, fact: Fact, language: str) -> Iterator[Problem]:
    for field, text, in_language in (
        ("claim", fact.claim, language),
        ("quote", fact.quote, language),
        ("claim_en", fact.claim_en, "en"),
    ):
        for message in script_problems(text, in_language):
            yield _at(context, fact, field, message, "script")


# -- coverage ---------------------------------------------------------------------------------
def uncovered(file: FactFile) -> list[Uncovered]:
    """Every number in the sections of a source that is neither a figure of a fact (standing
    in that fact's quote) nor inside a declared name."""
    found: list[Uncovered] = []
    for source in file.sources:
        text = file.texts.get(source.id)
        if text is None or not source.sections or source.sections[0].start not in text:
            continue
        covered = _covered(text, source, [f for f in file.facts if f.source == source.id])
        body_start = text.index(source.sections[0].start)
        numbers = _NUMBERS.get(source.language.split("-")[0], _DIGITS)
        for match in numbers.finditer(text, body_start):
            if match.start() not in covered:
                found.append(_uncovered(file, source, text, match))
    return found


def _covered(text: str, source: Source, facts: Sequence[Fact]) -> set[int]:
    covered: set[int] = set()
    for name in source.names:
        covered.update(i for m in re.finditer(name.pattern, text) for i in range(m.start(), m.end()))
    for fact in facts:
        start = text.find(fact.quote)
        if start >= 0:
            for figure in fact.figures:
                covered.update(
                    start + m.start() for m in figure_pattern(figure.value, figure.unit).finditer(fact.quote)
                )
    return covered


def _uncovered(file: FactFile, source: Source, text: str, match: re.Match[str]) -> Uncovered:
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    begin = max((text.rfind(end, 0, match.start()) for end in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(end, match.end()) for end in _SENTENCE_END) if i >= 0]
    context = text[begin : min(ends) + 1 if ends else len(text)].strip()
    return {
        "source": source.id,
        "file": str(Path(file.path).parent / source.text),
        "line": line,
        "column": column,
        "number": match.group(),
        "context": context,
    }


def _uncovered_problem(entry: Uncovered) -> Problem:
    message = Message(
        "{number} is neither a figure of a fact nor a declared name: {context}",
        number=entry["number"],
        context=entry["context"],
    )
    return problem(entry["file"], message, rule="coverage", place=(entry["line"], entry["column"]))
