"""Provenance: every quote stands verbatim in its source, every figure in its quote.

These checks are what make the fact base verifiable rather than merely plausible. The loader
runs them too, so a search never answers from a fact whose quote has drifted from its source;
`zhashui verify` runs them on their own and reports every failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Fact, FactBase
from .units import figure_pattern, written_number


@dataclass(frozen=True)
class Finding:
    fact: str
    field: str
    problem: str


def check_fact(fact: Fact, source_text: str) -> list[Finding]:
    findings = []
    if fact.quote not in source_text:
        findings.append(Finding(fact.id, "quote", _quote_problem(fact, source_text)))
    for n, figure in enumerate(fact.figures):
        if not figure_pattern(figure.value, figure.unit).search(fact.quote):
            written = f"{written_number(figure.value)}{figure.unit}"
            findings.append(
                Finding(
                    fact.id, f"figures[{n}]", f"{written} does not appear in the quote as written (value, then unit)"
                )
            )
    return findings


def _quote_problem(fact: Fact, source_text: str) -> str:
    """Say where the quote leaves the source, which is usually the typo to fix."""
    low, high = 0, len(fact.quote)  # the longest prefix found; every shorter one is found too
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fact.quote[:middle] in source_text else (low, middle - 1)
    matched = low
    shown = fact.quote[:matched] if matched <= 20 else "…" + fact.quote[matched - 20 : matched]
    where = f"; it matches up to «{shown}», then has «{fact.quote[matched : matched + 10]}»" if matched else ""
    return f"not found verbatim in source '{fact.source}'{where}"


def check(base: FactBase) -> list[Finding]:
    return [finding for fact in base.facts for finding in check_fact(fact, base.texts[fact.source])]


def report(base: FactBase, findings: list[Finding]) -> dict[str, Any]:
    """The verify document: counts and problems, in the shape render.write_verify prints."""
    return {
        "ok": not findings,
        "facts": len(base.facts),
        "figures": sum(len(fact.figures) for fact in base.facts),
        "sources": len(base.sources),
        "problems": [{"fact": f.fact, "field": f.field, "problem": f.problem} for f in findings],
    }
