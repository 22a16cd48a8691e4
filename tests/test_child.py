"""The build's child process (index/child.py): its work done on a second core, or here.

A child is forked only in a process of one thread, and a pytest-xdist worker runs several, so
each test runs its case in a fresh interpreter, which prints what it saw as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from .conftest import FACTS, REPO

BROKEN = REPO / "tests" / "broken"

CASES = r"""
import json, os, signal, sys, threading, time
from zhashui_cli.index.child import Child, can_fork

PARENT = os.getpid()
case = sys.argv[1]

def where(argument):
    return {"pid": os.getpid(), "argument": argument}

def fails_in_a_child(argument):
    if os.getpid() != PARENT:
        raise ValueError("the child's own error")
    return where(argument)

def killed_in_a_child(argument):
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return where(argument)

def open_fds(among=None):
    fds = {int(fd) for fd in os.listdir("/proc/self/fd")}
    return sorted(fds if among is None else fds & set(among))

def children_left():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True

seen = {}
if case == "works":
    seen["can_fork"] = can_fork()
    with Child(where) as child:
        seen["forked"] = child.forked
        child.send([1, "二"])
        seen["result"] = child.result()
elif case == "fails":
    with Child(fails_in_a_child) as child:
        seen["forked"] = child.forked
        child.send(3)
        seen["result"] = child.result()
elif case == "killed":
    with Child(killed_in_a_child) as child:
        seen["forked"] = child.forked
        child.send(4)
        seen["result"] = child.result()
elif case == "left":
    with Child(where, prepare=lambda: time.sleep(3600)) as child:
        seen["forked"] = child.forked
        child.send(5)
elif case == "threaded":
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    seen["can_fork"] = can_fork()
    with Child(where) as child:
        seen["forked"] = child.forked
        child.send(6)
        seen["result"] = child.result()
    stop.set()
    thread.join()
elif case == "outside":
    child = Child(where)
    child.send(7)
    seen["result"] = child.result()
elif case == "build":
    from pathlib import Path
    from zhashui_cli.factfile import store
    from zhashui_cli.index.build import build, chinese_side

    path = Path(sys.argv[2])
    loaded = store.require(store.load(path))
    paths = {source.id: str(store.source_path(path, source.text)) for source in loaded.file.sources}
    with chinese_side() as chinese:
        seen["forked"] = chinese.forked
        forked = build(loaded.file, paths, chinese)
    seen["same"] = forked == build(loaded.file, paths)
elif case == "siblings":
    before = open_fds()
    with Child(where) as first:
        firsts = sorted(set(open_fds()) - set(before))  # the first child's descriptors, here
        with Child(open_fds) as second:
            seen["forked"] = [first.forked, second.forked]
            second.send(firsts)
            seen["firsts"] = firsts
            seen["open in the second"] = second.result()
        first.send(8)
        seen["result"] = first.result()
elif case == "rules":
    from pathlib import Path
    import zhashui_cli
    from zhashui_cli.factfile import store
    from zhashui_cli.index import child as module

    entered = []
    enter = module.Child.__enter__
    def recorded(self):
        entered.append(enter(self).forked)
        return self
    module.Child.__enter__ = recorded
    for name in sys.argv[2:]:
        path = Path(name)
        problems = store.load(path).problems  # found in this process
        base = zhashui_cli.open(path, cache=False)
        try:
            len(base)  # opens the index: built, and the rules checked beside it
        except zhashui_cli.FactFileError as error:
            seen[path.name] = {"refused": len(error.problems), "same": error.problems == problems}
        else:
            seen[path.name] = {"warnings": base.warnings, "same": base.warnings == len(problems)}
    seen["forked"] = entered
seen["parent"] = PARENT
seen["children_left"] = children_left()
print(json.dumps(seen))
"""


def run_case(case: str, *arguments: str) -> tuple[dict[str, Any], str]:
    """What the case saw, and what it wrote to stderr."""
    done = subprocess.run(
        [sys.executable, "-c", CASES, case, *arguments], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout), done.stderr


def test_the_work_is_done_by_a_child_and_its_result_returned() -> None:
    seen, stderr = run_case("works")
    assert seen["can_fork"] and seen["forked"]
    assert seen["result"]["argument"] == [1, "二"]
    assert seen["result"]["pid"] != seen["parent"]
    assert not seen["children_left"] and stderr == ""


@pytest.mark.parametrize("case", ["fails", "killed"])
def test_a_child_that_fails_has_its_work_done_here_and_says_nothing(case: str) -> None:
    seen, stderr = run_case(case)
    assert seen["forked"]
    assert seen["result"] == {"pid": seen["parent"], "argument": 3 if case == "fails" else 4}
    assert not seen["children_left"]
    assert stderr == ""  # no traceback of the child's


def test_leaving_the_context_ends_a_child_still_preparing() -> None:
    seen, stderr = run_case("left")  # the child sleeps an hour: run_case would time out
    assert seen["forked"]
    assert not seen["children_left"] and stderr == ""


def test_a_process_running_another_thread_forks_no_child() -> None:
    seen, _ = run_case("threaded")
    assert not seen["can_fork"] and not seen["forked"]
    assert seen["result"] == {"pid": seen["parent"], "argument": 6}


def test_outside_a_context_the_work_is_done_here() -> None:
    seen, _ = run_case("outside")
    assert seen["result"] == {"pid": seen["parent"], "argument": 7}
    assert not seen["children_left"]


def test_a_child_forked_beside_another_holds_none_of_its_descriptors() -> None:
    """Holding the other end of an earlier child's pipes, a later child would keep it waiting,
    should this process die, until the later one ended too."""
    seen, _ = run_case("siblings")
    assert seen["forked"] == [True, True]
    assert len(seen["firsts"]) == 3  # its memory, and this process's ends of its two pipes
    assert seen["open in the second"] == []
    assert seen["result"]["argument"] == 8 and seen["result"]["pid"] != seen["parent"]
    assert not seen["children_left"]


def test_the_rules_checked_by_a_child_find_what_they_find_here() -> None:
    """A draft's warnings are counted, and a file failing a rule is refused with every problem,
    when the rules are checked by a child beside the build (the Chinese side's and the rules'
    child forked for each file) as when they are checked in this process."""
    names = ["sentence--one.yaml", "claim-figures.yaml"]
    seen, stderr = run_case("rules", *(str(BROKEN / name) for name in names))
    assert seen["forked"] == [True, True, True, True]
    assert seen["sentence--one.yaml"] == {"warnings": 2, "same": True}
    assert seen["claim-figures.yaml"] == {"refused": 2, "same": True}
    assert not seen["children_left"] and stderr == ""


def test_the_index_built_with_a_child_is_the_index_built_without() -> None:
    seen, stderr = run_case("build", str(FACTS))
    assert seen["forked"] and seen["same"]
    assert not seen["children_left"] and stderr == ""
