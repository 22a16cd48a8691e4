"""Loading fact files: every way a hand-edited file can be broken gets one clear error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from zhashui_cli.errors import MAX_PROBLEMS_SHOWN, FactFileError
from zhashui_cli.factfile import store
from zhashui_cli.factfile.model import FactFile

from .conftest import FACTS, REPO, sample

WriteFacts = Callable[..., Path]


def load_fact_base(path: Path) -> FactFile:
    return store.require(store.load(path)).file


def error_of(path: Path) -> FactFileError:
    with pytest.raises(FactFileError) as caught:
        load_fact_base(path)
    return caught.value


def test_a_good_file_loads_with_its_source_text(write_facts: WriteFacts) -> None:
    base = load_fact_base(write_facts())
    assert [fact.id for fact in base.facts] == ["2023-loans", "2023-toilets"]
    assert "协调金融贷款9.24亿元" in base.texts["sample"]


def test_a_utf8_bom_is_accepted(write_facts: WriteFacts) -> None:
    path = write_facts()
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_fact_base(path).facts) == 2


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(tmp_path / "nope.yaml")
    assert str(error) == f"{tmp_path / 'nope.yaml'}: no such file; check the path (or --facts / ZHASHUI_FACTS)"


def test_a_folder(tmp_path: Path) -> None:
    assert "is a folder, not a fact file" in str(error_of(tmp_path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty; a fact file has sources, categories and facts"),
        ("\n  \n", "is empty; a fact file has sources, categories and facts"),
        ("# only a comment\n", "expected a mapping with sources, categories, facts, got nothing"),
    ],
)
def test_empty(write_facts: WriteFacts, content: str, message: str) -> None:
    assert str(error_of(write_facts(content))).endswith(message)


@pytest.mark.parametrize(("content", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "text"), ("42\n", "a number")])
def test_not_a_mapping(write_facts: WriteFacts, content: str, kind: str) -> None:
    assert str(error_of(write_facts(content))).endswith(
        f"expected a mapping with sources, categories, facts, got {kind}"
    )


def test_binary_garbage(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts(b"\xff\xfe\x00\x01garbage")))
    assert message.endswith("facts.yaml:1:1: not UTF-8 (byte 0xff); save the file as UTF-8")


def test_not_utf8_points_at_the_byte(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\ncategories: []\nfacts: [caf\xe9]\n".encode("latin-1"))))
    assert message.endswith("facts.yaml:3:12: not UTF-8 (byte 0xe9); save the file as UTF-8")


def test_nul_bytes_are_refused_with_a_position(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\ncategories: [\x00]\n")))
    assert message.endswith("facts.yaml:2:14: character U+0000 is not allowed in YAML; remove it")


def test_the_position_of_a_bad_character_counts_characters_not_bytes(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\ncategories: [柞水\x07]\n")))
    assert message.endswith("facts.yaml:2:16: character U+0007 is not allowed in YAML; remove it")


def test_yaml_syntax_error_says_where_the_construct_began_and_where_it_broke(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\ncategories: [\nfacts: []\n")))
    assert message.endswith("facts.yaml:4:1: the list opened at 2:13 is not closed; end it with ]")


def test_alias_bomb_is_refused_quickly(write_facts: WriteFacts) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]" for n in range(8)]
    message = str(error_of(write_facts("\n".join(levels) + "\n")))
    assert "aliases (*name) are not allowed in a fact file" in message


def test_python_tags_are_refused_never_constructed(write_facts: WriteFacts, tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    content = f'sources: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ["{marker}"]]\n'
    message = str(error_of(write_facts(content)))
    assert "the tag !!python/object/apply:pathlib.Path.touch is not allowed; a fact file uses no YAML tags" in message
    assert not marker.exists()


def test_duplicate_key_is_an_error_not_a_silent_overwrite(write_facts: WriteFacts) -> None:
    content = "sources: []\ncategories: []\nfacts: []\ncategories: []\n"
    message = str(error_of(write_facts(content)))
    assert "facts.yaml:4:1: duplicate key 'categories' (first at line 2)" in message


def test_positions_are_read_only_when_there_is_a_problem_to_place(
    write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file without problems is read once, without positions (yamlfile.load's places took a
    third of a large file's reading and memory); the first problem reads it again with them,
    and is placed by its line all the same."""
    from zhashui_cli.factfile import yamlfile

    reads: list[bool] = []
    load = yamlfile.load

    def counted(text: str, name: str, progress: object = None, positions: bool = True) -> yamlfile.Document:
        reads.append(positions)
        document = load(text, name, None, positions)
        assert bool(document.places) is positions
        return document

    monkeypatch.setattr(yamlfile, "load", counted)
    assert len(load_fact_base(write_facts()).facts) == 2
    assert reads == [False]
    reads.clear()
    text = json.dumps(sample(), ensure_ascii=False, indent=1).replace('"kind": "outcome"', '"kind": "rumour"', 1)
    message = str(error_of(write_facts(text)))
    assert reads == [False, True]
    assert re.search(r"facts\.yaml:\d+:\d+: fact '2023-loans': kind: unknown kind 'rumour'", message)


def test_duplicate_key_inside_a_fact(write_facts: WriteFacts) -> None:
    text = json.dumps(sample(), ensure_ascii=False, indent=1).replace('"year": 2023,', '"year": 2023, "year": 2024,', 1)
    assert "duplicate key 'year'" in str(error_of(write_facts(text)))


def test_unquoted_dates_and_booleans_where_text_is_expected(write_facts: WriteFacts) -> None:
    text = json.dumps(sample(), ensure_ascii=False, indent=1)
    text = text.replace('"published": "2024-01-01"', "published: 2024-01-01").replace(
        '"title_en": "Test bulletin"', "title_en: yes"
    )
    yaml_text = text.replace("published: 2024-01-01", '"published": 2024-01-01').replace(
        "title_en: yes", '"title_en": yes'
    )
    message = str(error_of(write_facts(yaml_text)))
    assert "sources[0].published: 2024-01-01 is a date (2024-01-01) in YAML 1.1 and text in YAML 1.2" in message
    assert "sources[0].title_en: yes is a yes/no value in YAML 1.1 and text in YAML 1.2; put it in quotes" in message


@pytest.mark.parametrize(
    "content", ["[" * 5000 + "]" * 5000, "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 3000))]
)
def test_deep_nesting_is_refused(write_facts: WriteFacts, content: str) -> None:
    assert "nest" in str(error_of(write_facts(content + "\n")))


def test_nesting_beyond_what_a_fact_file_needs(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: " + "[" * 40 + "]" * 40 + "\n")))
    assert "is nested more than 32 levels deep; a fact file needs six" in message


def test_merge_keys_are_refused(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\ncategories: []\nfacts:\n  - <<: {id: x}\n")))
    assert "facts.yaml:4:5: merge keys (<<) are not allowed in a fact file; write the keys out" in message


def test_keys_must_be_plain_values(write_facts: WriteFacts) -> None:
    assert "a key must be a plain value" in str(error_of(write_facts("? [a, b]\n: 1\n")))


def test_several_documents(write_facts: WriteFacts) -> None:
    message = str(error_of(write_facts("sources: []\n---\ncategories: []\n")))
    assert message.endswith("holds several YAML documents (---); a fact file is one document")


def test_missing_source_text(write_facts: WriteFacts) -> None:
    data = sample()
    data["sources"][0]["text"] = "missing.txt"
    message = str(error_of(write_facts(data)))
    assert "sources[0].text: cannot read" in message
    assert "missing.txt (no such file or directory); paths are relative to the fact file" in message


def test_quote_not_in_source_names_the_fact_and_line(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][1]["quote"] = "新改建户厕7186座"
    message = str(error_of(write_facts(data)))
    assert "fact '2023-toilets': quote: not found verbatim in source 'sample'" in message
    assert "it matches up to «新改建户厕71»" in message
    assert "facts.yaml:" in message and ":2:" not in message.split("facts.yaml")[1][:4]


def test_a_file_with_problems_still_loads_what_parses(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][1]["quote"] = "not in the source"
    loaded = store.load(write_facts(data))
    assert len(loaded.file.facts) == 2
    assert [(p["fact"], p["field"], p["rule"]) for p in loaded.problems] == [
        ("2023-toilets", "quote", "quote-in-source"),
        ("2023-toilets", "figures[0]", "figure-in-quote"),
    ]


def test_several_problems_are_listed_under_one_headline(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][0]["kind"] = "rumour"
    data["facts"][1]["figures"][0]["unit"] = "斤"
    lines = str(error_of(write_facts(data))).splitlines()
    assert lines[0].endswith("facts.yaml: 2 problems:")
    assert "facts.yaml:" in lines[1] and "fact '2023-loans': kind: unknown kind 'rumour'" in lines[1]
    assert "fact '2023-toilets': figures[0].unit: unknown unit '斤'" in lines[2]
    assert all(line.startswith("  ") for line in lines[1:])


def test_a_flood_of_problems_is_cut_short(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"] = [dict(data["facts"][0], id=f"fact-{n}", kind="rumour") for n in range(50)]
    lines = str(error_of(write_facts(data))).splitlines()
    assert lines[0].endswith("50 problems:")
    assert lines[-1] == f"  … and {50 - MAX_PROBLEMS_SHOWN} more"


def test_without_libyaml_the_same_data_and_the_same_errors(
    write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    with_libyaml = load_fact_base(FACTS)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # PyYAML's pure-Python parser instead
    assert load_fact_base(FACTS) == with_libyaml
    message = str(error_of(write_facts("sources: []\ncategories: [柞水\x07]\n")))
    assert message.endswith("facts.yaml:2:16: character U+0007 is not allowed in YAML; remove it")
    assert "duplicate key 'a'" in str(error_of(write_facts("a: 1\na: 2\n")))


def test_the_packaged_fact_base_is_found_and_is_the_repository_one() -> None:
    packaged = store.packaged_fact_file()
    assert packaged.is_file()
    assert packaged.read_bytes() == FACTS.read_bytes()
    assert len(load_fact_base(packaged).facts) > 100


def test_the_rules_keep_no_data_of_a_reading_without_places(tmp_path: Path) -> None:
    """The rules checked beside the index build need only positions, which a reading with
    places gives: they do not keep a large file's data of the reading without them alive."""
    from zhashui_cli.factfile.fields import Located
    from zhashui_cli.factfile.yamlfile import Places
    from zhashui_cli.factfile.yamlfile import load as load_yaml

    text = "facts:\n  - id: a\n    claim: b\n"

    def reread() -> tuple[object, Places]:
        placed = load_yaml(text, "f.yaml")
        return placed.data, placed.places

    located = Located(load_yaml(text, "f.yaml", positions=False).data, {}, reread)
    kept = located.positions_only()
    assert kept.data is None
    assert kept.position(("facts", 0, "claim")) == located.position(("facts", 0, "claim")) == (3, 5)  # the key
    assert located.positions_only() is located  # once read with places, what it has is what they need


def test_a_problem_found_after_the_file_changed_has_no_position(tmp_path: Path) -> None:
    """Positions are read again from the file when the first problem is found, not kept: if
    the file has changed since it was read, the problem says no line rather than a wrong one."""
    broken = REPO / "tests" / "broken"
    (tmp_path / "sample.txt").write_bytes((broken / "sample.txt").read_bytes())
    facts = tmp_path / "facts.yaml"
    facts.write_bytes((broken / "quote-in-source.yaml").read_bytes())
    placed = [(entry["rule"], entry["line"]) for entry in store.read_unchecked(facts).checked().problems]
    assert placed == [("quote-in-source", 41), ("figure-in-quote", 43)]
    unchecked = store.read_unchecked(facts)
    facts.write_text("\n" + facts.read_text(encoding="utf-8"), encoding="utf-8")  # every line one lower
    moved = [(entry["rule"], entry["line"], entry["column"]) for entry in unchecked.checked().problems]
    assert moved == [("quote-in-source", None, None), ("figure-in-quote", None, None)]
