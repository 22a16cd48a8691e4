"""Whether a process is still running: how the cache and the exports tell a temporary of a
writer that was killed (to remove) from one still being written (to leave alone)."""

import os


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: sent to no one, only checked
    except PermissionError:  # another user's process, running all the same
        return True
    except (ProcessLookupError, OverflowError):  # gone, or no pid the system could have
        return False
    return True
