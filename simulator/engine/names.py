"""The name the rep gives on the call: the buyer calls them by it, not by the scenario's seller name.

A trainee playing "Mark Delaney" who opens with "hi rachel, its sam at the lakeshore grand" is Sam to
the buyer from then on, and "it's Dan, by the way" later in the call corrects her. Only clear ways of
giving a name count, so "it's late" or "this is bad news" never rename anyone:

- "my name is Sam", "my name's Sam", "call me Sam";
- "it's / this is / here's Sam" or "Sam" followed by "from", "at" or "with" and a word of the seller's
  company ("sam at the lakeshore grand", "Dan from Meridian here");
- "it's / this is Sam" with the name capitalised as typed and not a day, a month or a common word, then a
  pause, a surname or the end ("It's Sam Reid, your account manager", "it's Dan, by the way");
- the same in lower case when the reply opens on a greeting or the buyer's name ("hi rachel its tom, bad news"):
  a rep who types in lower case gives a name as plainly (a play-tester was called "Sam" after "its tom"), but
  not an English word of five letters or more ("hi dana its delayed, sorry").
"""

from __future__ import annotations

import re

from simulator.detect.banks import english_words

_GIVES = r"(?:it'?s|it\s+is|this\s+is|here'?s)"
_NAME = r"([A-Za-z][a-z]+(?:-[A-Za-z][a-z]+)?)"
_OWN = re.compile(rf"\b(?:my\s+name\s+is|my\s+name'?s|call\s+me)\s+{_NAME}\b", re.I)
_BEFORE_COMPANY = re.compile(rf"(?:\b{_GIVES}\s+)?\b{_NAME}\s+(?:from|at|with|over\s+at|here\s+at)\s+(?:the\s+)?(\w+)", re.I)
_CAPITALISED = re.compile(rf"\b{_GIVES}\s+([A-Z][a-z]+)(?=\s*(?:[,.;!?\u2014-]|$|\s+[A-Z][a-z]+\b))", re.I)
_GREETED = re.compile(
    rf"^\W*(?P<greeting>(?:(?:hi|hello|hey|hiya|morning|good morning|afternoon|good afternoon)\W+)?(?:\w+\W+)?)"
    rf"{_GIVES}\s+([a-z][a-z]+)(?=\s*(?:[,.;!?\u2014-]|$|\s+here\b))",
)
NOT_NAMES = frozenset(
    "i we they he she me you him her us them it its only really about calling ringing phoning the a an your our my bad good "
    "late not sorry over back still now here there that this what all quick one two also again afraid going "
    "gonna getting got bringing following finally ok okay yes no hi hello hey well so just monday tuesday "
    "wednesday thursday friday saturday sunday today tomorrow tonight morning afternoon evening january "
    "february march april may june july august september october november december someone somebody "
    "everyone nobody nothing something everything true false possible unfortunately honestly basically "
    "urgent important serious done fine great terrible awful regarding re team office".split()
)


def introduced_name(
    text: str, company: str, buyer_first_name: str, scenario_words: frozenset[str] = frozenset()
) -> str | None:
    """The first name the rep gives in this reply, capitalised, if they clearly give one.

    `scenario_words` (lower case) are the scenario's own words, places and products ("Osaka", "Riverside"): a
    capitalised one after "it's" is the subject, not the rep.
    """
    company_words = {word for word in re.findall(r"[a-z0-9]+", company.lower()) if len(word) >= 3} - {"the", "and"}
    buyer = buyer_first_name.lower()
    found: list[tuple[int, str]] = []
    for match in _OWN.finditer(text):
        found.append((match.start(), match.group(1)))
    for match in _BEFORE_COMPANY.finditer(text):
        if match.group(2).lower() in company_words and _opens(text[: match.start(1)], buyer):
            found.append((match.start(1), match.group(1)))
    greeted = _GREETED.match(text)
    if greeted and _greets(greeted.group("greeting"), buyer) and greeted.group(2) not in english_words():
        found.append((greeted.start(2), greeted.group(2)))
    for match in _CAPITALISED.finditer(text):
        if match.group(1)[0].isupper() and match.group(1).lower() not in scenario_words:
            found.append((match.start(1), match.group(1)))
    for _, name in sorted(found):
        if name.lower() not in NOT_NAMES and name.lower() != buyer:
            return name[:1].upper() + name[1:]
    return None


_LAST_WORD = re.compile(r"([A-Za-z']+)\W*$")
_GREETINGS = frozenset("hi hello hey morning afternoon evening yes yeah ok okay its it's is here's".split())


def _greets(opening: str, buyer: str) -> bool:
    """Whether the words before "its" greet her or name her: "hi rachel ", "rachel, ", "hey "."""
    words = re.findall(r"[a-z]+", opening.lower())
    return bool(words) and all(word in _GREETINGS | {"good", "hiya", buyer} for word in words)


def _opens(before: str, buyer: str) -> bool:
    """Whether a name could start here: at the start of the reply or a clause, after a greeting or the buyer's name
    ("hi rachel, sam at the lakeshore grand"), or after "it's"; not "her final day with Tidewater"."""
    if not before.strip() or re.search(r"[,.;:!?\u2014-]\s*$", before):
        return True
    last = _LAST_WORD.search(before)
    return last is not None and last.group(1).lower() in _GREETINGS | {buyer}
