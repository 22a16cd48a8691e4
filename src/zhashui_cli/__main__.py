"""The zhashui command: `python -m zhashui_cli`, and the console script's entry point, main()."""

import gc
import os
import sys


def main() -> None:
    """Run the command line and leave.

    Start-up is most of a run, so Ctrl-C often lands while the command line is still being
    imported or built; catching it around everything keeps even that to one line and exit
    code 130. At the end the process leaves with os._exit once its output is flushed: the
    interpreter's own clean-up, which tears down every module rich imported, would take longer
    than the search itself, and there is nothing left for it to do (the cache is written
    before any output). The library never does this; only the command does.

    For the same reason the cyclic garbage collector is off for the whole run: what a run makes
    are trees, which reference counting frees, or objects that live to its end, so that the
    collector's walks over them freed nothing and cost 4 ms of a 60 ms search, 1.3 s of the
    7.9 s cold build of 10,000 facts, and 1.5 s of the 3.5 s that 93,000 rows into a pipe took
    (docs/performance.md; _collector.py, where the library pauses it).
    """
    gc.disable()
    try:
        code = _start()
    except KeyboardInterrupt:
        sys.stderr.write("zhashui: interrupted\n")
        code = 130  # exits.ExitCode.INTERRUPTED, which may not be imported yet
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # the run has already reported what went wrong with its output
    os._exit(code)


def _start() -> int:
    """Import the command line and run it. Once imported, it turns every failure into a line
    and an exit code itself; an import that fails is a broken install (a dependency missing
    or of the wrong version), said here in one line, as exit code 70 (exits.ExitCode.INTERNAL)."""
    try:
        from .cli.app import main as run
    except Exception as error:
        if os.environ.get("ZHASHUI_DEBUG"):
            raise
        said = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in f"{error}")
        sys.stderr.write(
            f"zhashui: internal error: cannot start ({type(error).__name__}: {said}); "
            "reinstall zhashui (pip install --force-reinstall zhashui), or run with ZHASHUI_DEBUG=1 for the traceback\n"
        )
        return 70
    return run()


if __name__ == "__main__":
    main()
