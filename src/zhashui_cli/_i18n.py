"""The language the command line speaks to a person: English, or Simplified Chinese.

Chosen once per process from the environment: ZHASHUI_LANG first, then gettext's own order
(LANGUAGE, LC_ALL, LC_MESSAGES, LANG), the first of them that is set deciding. Any zh* locale
(zh_CN, zh_TW, zh_HK, zh) gets the Simplified catalogue, the only one there is; anything else,
C and POSIX included, is English, which is the text of the source itself.

Importing this module makes the choice. An English run reads no catalogue: _() hands the text
back. The catalogue (locale/zh_CN/LC_MESSAGES/zhashui.mo) is compiled from its .po by the build
(hatch_build.py) and read on the first translation a Chinese run asks for. Help is held in
English (N_, deferred) while typer's decorators build the commands, on every run, and translated
only when it is drawn (translated()), so that a Chinese run that draws no help, a JSON search
say, reads no catalogue either: it starts as fast as an English one.

The library (base.py, search/, index/, factfile/, errors.py, records.py) never translates: its
messages are English API text. It words its errors as Messages, which keep their parts apart,
so that the command line, which with its terminal views alone translates, can say them in
Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

Translate = Callable[[str], str]  # _ or N_: what a text made in either language is made with

DOMAIN = "zhashui"
LOCALE_DIR = Path(__file__).parent / "locale"
# gettext's order of the variables that name the language of messages (gettext.find's).
_ENVIRONMENT = ("ZHASHUI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language_of(environ: Any) -> str:
    """'zh_CN' when the first of the variables set names a Chinese locale, else 'en'.

    LANGUAGE is a colon list of languages in order of preference; its first entry decides."""
    for name in _ENVIRONMENT:
        value = (environ.get(name) or "").strip()
        if value:
            first = value.split(":", 1)[0].strip().casefold()
            return "zh_CN" if first == "zh" or first.startswith(("zh_", "zh-", "zh.")) else "en"
    return "en"


LANGUAGE = language_of(os.environ)
CHINESE = LANGUAGE == "zh_CN"
_catalogue: Any = None  # gettext.NullTranslations, loaded by the first translation asked for


def catalogue() -> Any:
    """The Chinese catalogue (gettext.GNUTranslations), read once; a NullTranslations, which
    translates nothing, when the language is English or the catalogue was not compiled."""
    global _catalogue  # noqa: PLW0603 - one catalogue per process, read when first needed
    if _catalogue is None:
        import gettext

        # never gettext's own reading of the environment: ZHASHUI_LANG=en must win over LANG=zh_CN
        found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[LANGUAGE], fallback=True) if CHINESE else None
        _catalogue = found or gettext.NullTranslations()
    return _catalogue


def N_(message: str) -> str:
    """Mark message for the catalogue without translating it (gettext_noop): for a text the
    library defines in English and the command line translates where it says it."""
    return message


def _(message: str) -> str:
    """The message in the language of the run."""
    return str(catalogue().gettext(message)) if CHINESE else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for count, in the language of the run (Chinese has
    one form for every count)."""
    if CHINESE:
        return str(catalogue().ngettext(singular, plural, count))
    return singular if count == 1 else plural


_DEFERRED: dict[str, Callable[[], str]] = {}  # deferred()'s English texts, and how to make them in Chinese


def deferred(build: Callable[[Translate], str]) -> str:
    """The text build makes with N_, English, now; made again with _ when translated() is asked
    for it, so that a composed help (a message formatted, several joined) is translated whole.
    build takes the translation function as its `_`, so that Babel extracts the messages it is
    called on."""
    english = build(N_)
    if CHINESE:
        _DEFERRED[english] = lambda: build(_)
    return english


def translated(text: str) -> str:
    """text, held in English (an N_-marked message, or what deferred() made), in the language of
    the run."""
    if not CHINESE:
        return text
    build = _DEFERRED.get(text)
    return build() if build else _(text)


class Message:
    """A message with its parts kept apart: str() is its English text, said() its text in the
    language of the run. The library words its errors so (errors.ZhashuiError.message): their
    text is English, the library's API, and the command line says them in Chinese under a
    Chinese locale. A part may be a Message itself (a did-you-mean, a name such as "category").
    scripts/gen_catalogue.py extracts the first argument of every Message() as a message."""

    __slots__ = ("fields", "template")

    def __init__(self, template: str, **fields: object) -> None:
        self.template, self.fields = template, fields

    def worded(self, translate: Translate) -> str:
        parts = {
            name: value.worded(translate) if isinstance(value, Message) else value
            for name, value in self.fields.items()
        }
        return translate(self.template).format(**parts)

    def __str__(self) -> str:
        return self.worded(N_)

    def __repr__(self) -> str:
        return f"Message({str(self)!r})"


class Worded(str):
    """English text that keeps the Message it was worded from. A record whose field is English
    by contract holds one (a Problem's message: plain text in JSON and to the library's
    callers), and the command line says it in the language of the run all the same (said())."""

    message: Message

    def __new__(cls, message: Message) -> Worded:
        text = super().__new__(cls, str(message))
        text.message = message
        return text


def worded(message: Message | str, translate: Translate) -> str:
    """message made with translate: a Message, or a Worded text, from its parts; a plain str
    as it is."""
    if isinstance(message, Worded):
        message = message.message
    return message.worded(translate) if isinstance(message, Message) else message


def said(message: Message | str) -> str:
    """message in the language of the run."""
    return worded(message, _)
