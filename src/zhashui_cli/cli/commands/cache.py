"""`zhashui cache info|clear`: what the index cache holds, and emptying it."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from zhashui_cli import base
from zhashui_cli._i18n import N_, _, ngettext
from zhashui_cli.cli import options
from zhashui_cli.cli.exits import UsageProblem, emit, note
from zhashui_cli.errors import OutputWriteError
from zhashui_cli.index.cache import KEPT_PER_FILE, CachedIndex
from zhashui_cli.output.render import printable
from zhashui_cli.records import CachedIndexRecord, CacheInfo, json_text

ACTIONS = ("info", "clear")


def cache_command(
    action: Annotated[
        str,
        typer.Argument(
            metavar=f"<{'|'.join(ACTIONS)}>",
            click_type=options.Choice(ACTIONS),
            help=N_("info: where the cache is, its indexes and their size; clear: remove them."),
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("For info: one JSON object (schema/output/cache-info.schema.json)."))
    ] = False,
) -> None:
    """Show or clear the cache of search indexes ($XDG_CACHE_HOME/zhashui, else
    ~/.cache/zhashui). It keeps the indexes of fact files that exist, at most 3 per file, and
    prunes the rest when it writes one; clear removes only its own files, and is always safe
    (the next search rebuilds what it needs).

    \b
    Examples:
      zhashui cache info
      zhashui cache info --json | jq .size
      zhashui cache clear
    """
    if action == "info":
        emit(lambda: sys.stdout.write(_info_json() if as_json else _info()))
        return
    if as_json:
        raise UsageProblem(_("--json goes with cache info; cache clear says what it removed on stderr"))
    try:
        folder, removed = base.clear_cache()
    except OSError as error:
        reason = error.strerror or error
        raise OutputWriteError(_("cannot remove a file of the cache: {reason}").format(reason=reason)) from error
    where = printable(str(folder)) if folder is not None else _("no cache folder (no home folder)")
    if not removed:
        note(_("the cache is empty: {where}").format(where=where))
        return
    indexes = sum(name.endswith(".index") for name, _size_of in removed)
    others = len(removed) - indexes
    more = ngettext(" and {count} note", " and {count} notes", others).format(count=others) if others else ""
    size = _size(sum(size for _name, size in removed))
    message = ngettext(
        "removed {count} index{more}, {size}, from {where}",
        "removed {count} indexes{more}, {size}, from {where}",
        indexes,
    )
    note(message.format(count=indexes, more=more, size=size, where=where))


def _info() -> str:
    found = base.cache_listing()
    if found.folder is None:
        return _("cache: none (no home folder, and XDG_CACHE_HOME is not an absolute path)") + "\n"
    lines = [_("cache: {folder}").format(folder=found.folder)]
    if not found.usable:
        lines.append(_("not used: the folder is not yours alone (owner or mode); chmod 700 it, or remove it"))
    elif not found.indexes:
        lines.append(_("empty: no index written yet"))
    else:
        gone = sum(not index.exists for index in found.indexes)
        count = len(found.indexes)
        held = ngettext(
            "{count} index, {size}; at most {kept} kept per fact file",
            "{count} indexes, {size}; at most {kept} kept per fact file",
            count,
        )
        lines.append(
            held.format(count=count, size=_size(found.size), kept=KEPT_PER_FILE)
            + (
                _("; {gone} of a fact file that is gone, removed when the next index is written").format(gone=gone)
                if gone
                else ""
            )
        )
        for index in _newest_first(found.indexes):
            written = time.strftime("%Y-%m-%d %H:%M", time.localtime(index.mtime_ns / 1e9))
            what = index.fact_file or _("(unreadable)")
            state = "" if index.exists else _(" (gone)")
            lines.append(f"  {_size(index.size):>9}  {written}  {what}{state}")
    return "".join(printable(line) + "\n" for line in lines)


def _info_json() -> str:
    found = base.cache_listing()
    indexes: list[CachedIndexRecord] = [
        {
            "name": index.name,
            "fact_file": index.fact_file,
            "exists": index.exists,
            "size": index.size,
            "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(index.mtime_ns / 1e9)),
        }
        for index in _newest_first(found.indexes)
    ]
    info: CacheInfo = {
        "folder": None if found.folder is None else str(found.folder),
        "usable": found.usable,
        "size": found.size,
        "kept_per_file": KEPT_PER_FILE,
        "indexes": indexes,
    }
    return json_text(info, indent=2) + "\n"  # a path's controls and bidi marks escaped, as in every JSON


def _newest_first(indexes: list[CachedIndex]) -> list[CachedIndex]:
    return sorted(indexes, key=lambda index: index.mtime_ns, reverse=True)


def _size(size: int) -> str:
    """A size in bytes as people read it: 812 B, 4.1 KiB, 1.4 MiB."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"
