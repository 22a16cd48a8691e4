"""Line breaking for Chinese as well as English."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zhashui_cli.terminal.wrap import spans, wrap_offsets


def lines_of(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_offsets(text, width)]


def test_chinese_wraps_between_characters_but_not_inside_numbers_or_before_closing_punctuation() -> None:
    text = "全年151个重点项目完成投资占比101.5%，招商到位资金增长14%。"
    lines = lines_of(text, 12)
    assert "".join(lines) == text
    assert all(wrap_offsets(line, 12) == [(0, len(line))] for line in lines)  # each fits
    assert not any(line.startswith(("，", "。", "%", ".5")) for line in lines)
    assert any(line.endswith("101.5%，") or line.startswith("101.5%，") for line in lines)


def test_a_number_stays_with_its_unit() -> None:
    for width in range(10, 20):  # 3000余万元 is 10 cells
        for line in lines_of("争取资金6700万元，品牌价值突破30亿元，减税3000余万元。", width):
            assert not line.startswith(("万元", "亿元", "余万元")), (width, line)
            assert not line.endswith(("6700", "30", "3000")), (width, line)


def test_what_is_wider_than_a_line_is_folded_to_fit_and_nothing_is_lost() -> None:
    text = "减税3000余万元，supercalifragilistic。"
    for width in range(2, 12):
        lines = lines_of(text, width)
        assert all(sum(cells for _, _, cells in spans(line)) <= width for line in lines), (width, lines)
        assert "".join(lines) == text
    assert lines_of(text, 6) == ["减税", "3000余", "万元，", "superc", "alifra", "gilist", "ic。"]


def test_english_wraps_at_spaces_and_ids_at_hyphens() -> None:
    assert lines_of("In 2023 Zhashui arranged loans.", 12) == ["In 2023", "Zhashui", "arranged", "loans."]
    assert lines_of("2023-loans-coordinated", 12) == ["2023-loans-", "coordinated"]


def test_opening_punctuation_stays_with_what_follows() -> None:
    assert all(not line.endswith("“") for line in lines_of("品牌“柞水木耳”价值突破", 3))


@given(st.text(max_size=60), st.integers(1, 30))
def test_wrapping_loses_nothing_but_white_space_and_fits_the_width(text: str, width: int) -> None:
    lines = lines_of(text, width)
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    for line in lines:
        cells = [size for _, _, size in spans(line)]
        assert (
            sum(cells) <= width
            or len([c for c, (s, _, _) in zip(cells, spans(line), strict=True) if not line[s].isspace()]) == 1
        )
