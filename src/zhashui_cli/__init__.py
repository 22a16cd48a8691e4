"""zhashui: a curated, verifiable fact base of the Zhashui County bulletin, and a CLI over it."""

import os
import sys

__version__ = "0.1.0"


def main() -> None:
    """The console script and `python -m zhashui_cli`.

    Start-up is most of a run, so Ctrl-C often lands while the CLI is still being imported;
    catching it here keeps even that to one line and exit code 130. At the end the process
    leaves with os._exit once its output is flushed: the interpreter's own clean-up, which
    tears down every module rich imported, would take longer than the search itself, and
    there is nothing left for it to do (the cache is written before any output).
    """
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("zhashui: interrupted\n")
        raise SystemExit(130) from None  # cli.ExitCode.INTERRUPTED, which is not imported yet
    code = run()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # the run has already reported what went wrong with its output
    os._exit(code)
