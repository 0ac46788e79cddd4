"""The stays_silent rule: a reply with no spoken words is silence.

Silence is an empty reply, punctuation ("...", "…", "—"), emoji, or stage directions in
brackets or asterisks that say the seller keeps quiet ("(pause)", "[silent]", "*waits*",
"(no response, letting her talk)", "*bites tongue*"). A reply with real words is not silence,
not even a listening noise ("mhm", "ok", "I see"): those are words the buyer hears. A direction
in which the seller speaks ("*explains the delay*") is not silence either.
"""

from __future__ import annotations

import re

# Stage directions: (...), [...], *...*, _..._ ; their words decide whether they mean silence.
_DIRECTION = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|\*([^*]*)\*|(?<!\w)_([^_]*)_(?!\w)")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
# Word stems that show a direction is about keeping quiet.
SILENCE_STEMS = (
    "pause", "paus", "silen", "quiet", "wait", "nod", "listen", "nothing", "hush", "mute", "beat",
    "breath", "sigh", "zip", "vent", "tongue", "mum", "still", "hold", "lets", "letting",
)
# "no reply", "without a word": silence said through a negated answer.
_NEGATED_ANSWER = re.compile(r"\b(?:no|without(?: a)?|not a)\s+(?:reply|response|answer|words?|comment|sound)\b")
# The seller speaking inside a direction; "says nothing" and "lets her talk" are not speech.
SPEECH_VERBS = frozenset(
    "say says said tell tells told explain explains explained apologize apologizes apologise apologises "
    "ask asks asked answer answers answered reply replies replied respond responds responded speak "
    "speaks spoke talk talks".split()
)
_OTHER_SPEAKERS = frozenset({"her", "him", "them", "they", "she", "he", "buyer", "customer", "you"})
_NEGATIONS = frozenset({"no", "not", "without", "never"})
# A reply typed as a single stage word: "silence", "pause".
BARE_SILENCE_WORDS = frozenset({"silence", "silent", "pause", "pauses", "paused", "quiet", "waits", "nods", "listens"})


def silence_span(source: str) -> tuple[int, int] | None:
    """The span of a silent reply (what was typed, trimmed), or None if the reply says something."""
    spoken = _DIRECTION.sub(_blank_if_silent, source)
    words = [w.lower() for w in _WORD.findall(spoken)]
    if words and not (len(words) == 1 and words[0] in BARE_SILENCE_WORDS):
        return None
    start = len(source) - len(source.lstrip())
    end = len(source.rstrip())
    return start, max(start, end)


def _blank_if_silent(match: re.Match[str]) -> str:
    inner = next(g for g in match.groups() if g is not None)
    if _is_silent_direction(inner):
        return " " * (match.end() - match.start())
    return match.group()


def _is_silent_direction(inner: str) -> bool:
    words = [w.lower() for w in _WORD.findall(inner)]
    if not words:
        return True
    for index, word in enumerate(words):
        if word in SPEECH_VERBS:
            before = words[index - 1] if index else ""
            after = words[index + 1] if index + 1 < len(words) else ""
            if before not in _NEGATIONS and before not in _OTHER_SPEAKERS and after != "nothing":
                return False
    lowered = inner.lower()
    return bool(_NEGATED_ANSWER.search(lowered)) or any(w.startswith(SILENCE_STEMS) for w in words)
