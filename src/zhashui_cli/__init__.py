"""zhashui: a curated, verifiable fact base of the Zhashui County bulletin, and a CLI over it."""

import sys

__version__ = "0.1.0"


def main() -> None:
    """The console script. Start-up is most of a run, so Ctrl-C often lands while the CLI is
    still being imported; catching it here keeps even that to one line and exit code 130."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("zhashui: interrupted\n")
        raise SystemExit(130) from None  # cli.ExitCode.INTERRUPTED, which is not imported yet
    run()
