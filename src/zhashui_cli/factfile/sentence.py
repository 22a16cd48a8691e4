"""One sentence: a claim is quoted on its own, so it is one sentence, not a paragraph.

A sentence ends at 。！？ in Chinese and at . ! ? before a space in English, except where that
mark does not end one: inside a quoted title or name (《…》, “…”, "…", （…）), after an English
abbreviation (e.g., No., Co., Ltd.), or inside a decimal (101.5), which no space follows.
"""

from __future__ import annotations

import re

from zhashui_cli._i18n import Message

_ENDS = {"zh": "。！？", "en": ".!?"}
_STOPS = {"zh": "。", "en": "."}
# Pairs of marks whose contents are a title, a name or an aside: a mark inside ends nothing.
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」|（[^）]*）|\"[^\"]*\"|\([^)]*\)")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|No|Nos|Co|Ltd|Inc|Corp|Dept|Mr|Mrs|Ms|Dr|Prof|St|Mt|approx|U\.S|U\.K|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.",
)


def sentence_problem(claim: str, language: str) -> Message | None:
    """What keeps a claim from being one sentence, as a problem's message, or None."""
    stop = _STOPS[language]
    if not claim.endswith(stop):
        ending = claim.rsplit(maxsplit=1)[-1] if language == "en" else claim[-3:]
        return Message("ends with «{ending}»; end the sentence with {stop}", ending=ending, stop=stop)
    body = _masked(claim, language)[:-1]
    pattern = rf"[{re.escape(_ENDS[language])}]" + (r"(?=\s)" if language == "en" else "")
    inner = re.search(pattern, body)
    if inner is None:
        return None
    first = claim[: inner.end()]
    shown = " ".join(first.split()[-3:]) if language == "en" else first[-9:]
    return Message(
        "is more than one sentence (one ends at «…{shown}»); make it one sentence, or split the fact", shown=shown
    )


def _masked(claim: str, language: str) -> str:
    """The claim with what cannot end a sentence blanked out, at the same positions."""
    blank = _QUOTED.sub(lambda m: "_" * len(m.group()), claim)
    if language == "en":
        blank = _ABBREVIATIONS.sub(lambda m: "_" * len(m.group()), blank)
    return blank
