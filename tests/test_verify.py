from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zhashui_cli import verify
from zhashui_cli.store import load_fact_base

from .conftest import FACTS, sample

WriteFacts = Callable[..., Path]


def test_the_real_fact_base_verifies() -> None:
    base = load_fact_base(FACTS, check_provenance=False)
    findings = verify.check(base)
    assert findings == []
    report = verify.report(base, findings)
    assert report["ok"] is True
    assert report["facts"] == len(base.facts) > 100
    assert report["figures"] == sum(len(f.figures) for f in base.facts) > 40


def test_each_failing_check_is_named(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][0]["quote"] = "协调金融贷款9.42亿元"
    data["facts"][1]["figures"][0]["value"] = 7186
    base = load_fact_base(write_facts(data), check_provenance=False)
    findings = verify.check(base)
    assert [(f.fact, f.field) for f in findings] == [
        ("2023-loans", "quote"),
        ("2023-loans", "figures[0]"),
        ("2023-toilets", "figures[0]"),
    ]
    assert (
        findings[0].problem
        == "not found verbatim in source 'sample'; it matches up to «协调金融贷款9.», then has «42亿元»"
    )
    assert findings[2].problem == "7186座 does not appear in the quote as written (value, then unit)"
    assert verify.report(base, findings)["ok"] is False
