"""The restored source text: reproducible from the raw scrape, and clean."""

from __future__ import annotations

import hashlib
import re

import pytest

from .conftest import REPO, SOURCE_TEXT, load_script

SOURCES = REPO / "sources"
RAW = SOURCES / "zhashui-2024-02-07.raw.txt"


def test_the_raw_scrape_is_committed_unchanged() -> None:
    # The sha256 of ../shared/seed/bulletin-raw.txt as it was handed over.
    assert (
        hashlib.sha256(RAW.read_bytes()).hexdigest()
        == "7dca47181936fbe9452f4b737dad614c96d4cff3f54f65d8d2a294dc76b029d1"
    )


def test_the_restored_text_is_what_the_script_derives() -> None:
    module = load_script("restore_source")
    assert module.source_ids() == ["zhashui-2024-02-07"]
    assert module.restore_source("zhashui-2024-02-07") == SOURCE_TEXT.read_text(encoding="utf-8")


def test_a_correction_that_no_longer_matches_stops_the_script() -> None:
    module = load_script("restore_source")
    stale = module.Correction(find="不存在", replace="x", count=1, reason="test")
    with pytest.raises(module.RestoreError, match="expects 1 occurrence\\(s\\), found 0"):
        module.restore("2024-02-07 09:41:58\n内容", [stale])


def test_the_restored_text_is_clean_simplified_chinese() -> None:
    lines = SOURCE_TEXT.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "2024-02-07 09:41:58"
    assert len(lines) == 21  # the time, the preamble, 2 headings, 8 highlights, 9 outlook paragraphs
    body = "\n".join(lines[1:])
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", body)  # pinyin annotations
    assert "?" not in body and "/p>" not in body  # residue and garbling
    assert "," not in body and ":" not in body and "(" not in body  # ASCII punctuation
    for char in body.replace("\n", ""):
        simplified = bool(char.encode("gb2312", errors="ignore"))
        assert simplified or char in "%.·—" or char.isascii(), f"{char!r} is not simplified Chinese"
    for corrected in ("乾佑", "陕西", "着力", "验收。县医院"):
        assert corrected in body
