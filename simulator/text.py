"""Making any user text safe to print: control characters and escape sequences shown, never obeyed."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import re

# Longest reply anything reads: the app's input, a scripted line, and the detector (which says when it cut one).
MAX_REPLY_CHARS = 4000


def visible(text: str) -> str:
    """`text` with every control or format character (ESC, BEL, bidi overrides...) written as an escape."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\t":
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co") and char not in "\u200d":
            out.append(_python_escape(char))
        else:
            out.append(char)
    return "".join(out)


def _python_escape(char: str) -> str:
    """`\\x1b`, `\\u202e` or `\\U000e0001`: the character as Python would write it, readable and unambiguous."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _json_escape(char: str) -> str:
    """The character as a JSON `\\u` escape: above U+FFFF, as its UTF-16 pair, the only way JSON can write it."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def clip_reply(text: str) -> str:
    """A reply as the engine keeps it: one line, at most MAX_REPLY_CHARS characters."""
    text = text.replace("\r", " ").replace("\n", " ")
    if len(text) > MAX_REPLY_CHARS:
        return text[:MAX_REPLY_CHARS]
    return text


def visible_lines(text: str) -> str:
    """`visible()` line by line: the line breaks of a multi-line message stay, every other control is shown."""
    return "\n".join(visible(line) for line in text.split("\n"))


def safe_json(data: object, *, indent: int | None = 2) -> str:
    """JSON for a terminal: readable non-ASCII text, but every control or format character as a `\\u` escape.

    `json.dumps` escapes C0 controls itself; C1 controls (a lone 0x9b starts a CSI sequence on some
    terminals) and bidi overrides would otherwise pass through raw. Inside JSON they can only sit in
    strings, where `\\uXXXX` means the same character, so the data is unchanged for a reader.
    """
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if text.isascii() and "\x7f" not in text:
        return text  # the usual case, and the only fast one for `badnews team --json` over 100,000 calls
    # Only DEL and non-ASCII characters can be controls json.dumps left raw: each is looked at, the rest copied in C.
    return re.sub("[\x7f-\U0010ffff]", _json_safe, text)


def _json_safe(match: re.Match[str]) -> str:
    char = match.group()
    return _json_escape(char) if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") else char


def name_order(name: str) -> tuple[str, str]:
    """How people are listed: by their letters without accents or case ("Çelik" between "Cy" and "Dee", "émile"
    beside "Emile"), then by the name itself, so the order never depends on which came first."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in folded if not unicodedata.combining(char)), name
