"""The stays_silent rule: a reply with no spoken words is silence.

Silence is an empty reply, punctuation ("...", "…"), emoji, a stage direction that says the
seller keeps quiet ("(pause)", "[silent]", "*waits*", "*nods*", "(says nothing)"), or a bare
listening noise ("mm", "mhm"). A stage direction that is not about keeping quiet
("*laughs*") is not silence, and nor is any reply with real words in it.
"""

from __future__ import annotations

import re

# Stage directions: (...), [...], *...*, _..._ ; their words decide whether they mean silence.
_DIRECTION = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|\*([^*]*)\*|(?<!\w)_([^_]*)_(?!\w)")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
SILENT_WORDS = frozenset(
    "pause pauses paused pausing silence silent silently quiet quietly waits wait waiting waited nod nods "
    "nodding nodded listen listens listening listened nothing hush hushed mute muted beat breath breathe "
    "breathes breathing sigh sighs sighing zip zips lip lips says say said stay stays staying remain "
    "remains remaining keep keeps keeping let lets them her him vent vents venting for to finish finishes "
    "the a and in no response reply answer still hold holds holding on long moment moments of".split()
)
# A direction must name the quiet itself, not only carry filler words like "for" or "the".
SILENCE_CUES = frozenset(
    "pause pauses paused pausing silence silent silently quiet quietly waits wait waiting waited nod nods "
    "nodding nodded listen listens listening listened nothing hush hushed mute muted beat breath breathe "
    "breathes breathing sigh sighs sighing zip zips".split()
)
LISTENING_NOISES = frozenset("mm mmm mmmm mhm mhmm mm-hm mm-hmm hm hmm hmmm uh-huh um umm uh er erm".split())


def silence_span(source: str) -> tuple[int, int] | None:
    """The span of a silent reply (what was typed, trimmed), or None if the reply says something."""
    spoken = _DIRECTION.sub(_blank_if_silent, source)
    for word in _WORD.findall(spoken):
        lowered = word.lower()
        if lowered not in LISTENING_NOISES and lowered not in SILENCE_CUES:
            return None
    start = len(source) - len(source.lstrip())
    end = len(source.rstrip())
    return start, max(start, end)


def _blank_if_silent(match: re.Match[str]) -> str:
    inner = next(g for g in match.groups() if g is not None)
    words = [w.lower() for w in _WORD.findall(inner)]
    if not words or (all(w in SILENT_WORDS for w in words) and any(w in SILENCE_CUES for w in words)):
        return " " * (match.end() - match.start())
    return match.group()
