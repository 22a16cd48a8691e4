"""The closed vocabularies of a claim: its kind, and how a figure's written value bounds the
real one. Apart from model.py, whose NamedTuples a warm search never needs: the command line
offers the kinds as choices and prints qualifiers as signs on every run."""

from enum import Enum


class Kind(str, Enum):
    """What sort of claim a fact is."""

    OUTCOME = "outcome"  # a measured result; has at least one figure
    HONOUR = "honour"  # an honour, award, designation, pilot status or first
    MEASURE = "measure"  # a qualitative action or result; no figures
    PLAN = "plan"  # an intention without a quantitative target; no figures
    TARGET = "target"  # a plan with at least one quantitative target


# What each kind is called in Chinese: --kind takes these too (-k 计划 is -k plan).
KIND_NAMES_ZH = {
    Kind.OUTCOME: "成果",
    Kind.HONOUR: "荣誉",
    Kind.MEASURE: "举措",
    Kind.PLAN: "计划",
    Kind.TARGET: "目标",
}
KINDS_WITH_FIGURES = frozenset({Kind.OUTCOME, Kind.TARGET})
KINDS_WITHOUT_FIGURES = frozenset({Kind.MEASURE, Kind.PLAN})


class Qualifier(str, Enum):
    """How the written value bounds the real one."""

    EXACT = "exact"
    MORE_THAN = "more_than"  # 余, 突破, 超过, 多
    AT_LEAST = "at_least"  # 以上, 至少, 不少于
    APPROXIMATELY = "approximately"  # 约, 近, 左右

    @property
    def symbol(self) -> str:
        """A prefix for compact display: >3000万元, ≥1680人."""
        return {"exact": "", "more_than": ">", "at_least": "≥", "approximately": "≈"}[self.value]
