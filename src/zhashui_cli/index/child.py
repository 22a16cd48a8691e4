"""A piece of the index build done by a forked child process, on a second core.

The Chinese vocabulary needs a segmenter and pinyin dictionaries that take 0.3 s to load and
then a pass over every text; the rest of the build needs neither. So the build forks a child
as it starts, before the fact file is read: the child loads those libraries while the parent
reads the file, is sent the texts once they are ready, and returns its sections
while the parent builds the rest (docs/scale.md has the figures). Once the file is read, a
second child checks its rules (base.py), which the index does not wait for.

A child is forked only where that is safe: where os.fork and os.memfd_create exist (Linux;
not macOS, whose system libraries do not survive a fork, nor Windows) and the process runs no
other thread, which could hold a lock the child would then wait on forever. Elsewhere, and
whenever the child fails (killed, out of memory, an error of its own), the work is done in
this process when its result is asked for: the result is the same, and an error is raised
where it would have been without a child. Nothing the child does reaches a terminal: it
never writes to the parent's streams and leaves with os._exit, running no exit handlers.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Generic, NoReturn, TypeVar

A = TypeVar("A")
R = TypeVar("R")


def _nothing() -> None:
    """The default preparation: none."""


class Child(Generic[A, R]):
    """work(argument) done by a child forked on entering the context, and prepared there by
    prepare() (the imports work needs) until send(argument) gives it the argument; result()
    returns what work returned. Outside a context, or where no child can be forked, work runs
    in this process when result() is called. Leaving the context ends a child still running.

    Several may run at once (the Chinese side of the index, and the rules checked beside it)."""

    # The children running, so that one forked later closes its copies of the earlier ones'
    # descriptors: holding a pipe's other end, it would keep an earlier child waiting, should
    # this process die, until it ended too.
    _running: ClassVar[weakref.WeakSet[Child[Any, Any]]] = weakref.WeakSet()

    def __init__(self, work: Callable[[A], R], prepare: Callable[[], object] = _nothing) -> None:
        self._work, self._prepare = work, prepare
        self._pid: int | None = None
        self._fds: dict[str, int] = {}
        self._argument: tuple[A] | None = None

    @property
    def forked(self) -> bool:
        """Whether a child is doing the work (it may yet fail, and the work be done here)."""
        return self._pid is not None

    def __enter__(self) -> Child[A, R]:
        if can_fork():
            try:
                self._fork()
            except OSError:  # no process or descriptor to spare: the work is done here
                self._end()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._end()

    def _fork(self) -> None:
        self._fds["memory"] = os.memfd_create("zhashui-build", os.MFD_CLOEXEC)
        self._fds["ready"], self._fds["send"] = os.pipe()
        self._fds["results"], self._fds["reply"] = os.pipe()
        pid = os.fork()
        if pid == 0:
            self._serve()
        self._pid = pid
        self._close("ready", "reply")  # the child's ends
        Child._running.add(self)

    def _serve(self) -> NoReturn:
        """The child: prepare, wait for the argument, work, reply; then leave at once."""
        status = 1
        try:
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly
            self._close("send", "results")  # the parent's ends
            for other in list(Child._running):
                other._close(*other._fds)  # only this process's copies: the parent's stay open
            self._prepare()
            if os.read(self._fds["ready"], 1):  # else the parent went on without it
                os.lseek(self._fds["memory"], 0, os.SEEK_SET)
                with open(self._fds["memory"], "rb", closefd=False) as memory:
                    argument = pickle.load(memory)
                self._close("memory")  # its pages are freed with the last descriptor
                result = self._work(argument)
                with open(self._fds["reply"], "wb", closefd=False) as pipe:
                    pickle.dump(result, pipe, pickle.HIGHEST_PROTOCOL)
                status = 0
        finally:
            os._exit(status)

    def send(self, argument: A) -> None:
        """Give the work its argument: to the child, through shared memory, so that the parent
        never waits for a child still preparing; pickled into it a frame at a time, so that
        the parent never holds a second copy of a large argument."""
        self._argument = (argument,)
        if self._pid is None:
            return
        try:
            with open(self._fds["memory"], "wb", closefd=False) as memory:
                pickle.dump(argument, memory, pickle.HIGHEST_PROTOCOL)
            os.write(self._fds["send"], b"\x01")  # ready: one byte, which the child waits for
        except OSError:  # no memory for the copy: the work is done here
            self._end()
        else:
            self._close("send", "memory")

    def result(self) -> R:
        """What work(argument) returned, from the child or, should it have failed, done here."""
        if self._argument is None:
            raise RuntimeError("Child.result() before Child.send()")
        if self._pid is not None:
            replied = self._reply()
            if replied is not None:
                return replied[0]
        return self._work(self._argument[0])

    def _reply(self) -> tuple[R] | None:
        """The child's result, unpickled as it is read (no second copy of a large one), or
        None if the child failed: it ended with an error, or before its whole reply."""
        replied: tuple[R] | None
        try:
            with open(self._fds["results"], "rb", closefd=False) as pipe:
                replied = (pickle.load(pipe),)
        except (OSError, EOFError, pickle.UnpicklingError):
            replied = None
        status = self._reap()
        self._end()
        return replied if status == 0 else None

    def _reap(self) -> int:
        assert self._pid is not None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)

    def _end(self) -> None:
        """End the child, if one runs, and close every descriptor left."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)  # not yet reaped, so the pid is still the child's
            self._reap()
        self._close(*self._fds)

    def _close(self, *names: str) -> None:
        for name in names:
            fd = self._fds.pop(name, None)
            if fd is not None:
                os.close(fd)


def can_fork() -> bool:
    """Whether this process can fork a child safely: it has fork and memfd_create, and runs one
    thread, counted by the system where it can (the threads of C code, and of _thread, that
    threading does not know of) and by threading elsewhere."""
    if not (hasattr(os, "fork") and hasattr(os, "memfd_create")):
        return False
    tasks = Path("/proc/self/task")
    try:
        return sum(1 for _ in tasks.iterdir()) == 1
    except OSError:
        return threading.active_count() == 1
