"""Hostile text for the tests: escape sequences a crafted file, export or reply could carry, and a check for them.

Shared by the end-to-end test of every command and the app's test, so both feed the same attack.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

# Each kind a terminal may obey: an OSC 52 clipboard write, an OSC 8 hyperlink, a CSI screen clear,
# C1 controls (0x9b is a one-byte CSI, 0x9d a one-byte OSC), DEL, and every bidi control.
OSC_52 = "\x1b]52;c;aGk=\x07"
HOSTILE = (
    f"{OSC_52}\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\\x1b[2J\x9b31m\x9d0;pwned\x9c\x7f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

SCENARIO_ID = "hostile-call"
PERSONA_ID = "hostile-buyer"


def controls_in(text: str) -> set[str]:
    """Every character in `text` a terminal could obey: C0 (but line breaks), ESC, DEL, C1, bidi controls."""
    return {
        char for char in text
        if (unicodedata.category(char) == "Cc" and char != "\n") or char in BIDI_CONTROLS
    }


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one): the escapes are written as `\\u` escapes."""
    return json.dumps(text).replace("\x7f", "\\u007f")  # json.dumps leaves DEL raw; YAML forbids it


def write_hostile_content(folder: Path) -> tuple[Path, Path]:
    """A scenario and a persona full of escape sequences, and a broken scenario quoting them; returns both folders."""
    scenarios, personas = folder / "scenarios", folder / "personas"
    scenarios.mkdir(parents=True)
    personas.mkdir(parents=True)
    (scenarios / f"{SCENARIO_ID}.yaml").write_text(
        f"""\
title: {_q("Late drills" + HOSTILE)}
difficulty: medium
default_persona: {PERSONA_ID}
brief: {_q("The drills are two weeks late." + HOSTILE + " Call {buyer.first_name} now.")}
seller: {{name: Alex Morgan, role: Account manager, company: Brightline Supply}}
buyer: {{name: {_q("Jordan" + HOSTILE + " Lee")}, role: Buyer, company: {_q("Harbour" + HOSTILE)}}}
facts:
  order: {_q("PO 7731" + HOSTILE)}
  new_date: 18 June
options:
  - id: partial-now
    text: {_q("Ship 200 drills this Friday." + HOSTILE)}
    phrases: ["200 drills this Friday"]
prevention: {_q("Two weeks of stock." + HOSTILE)}
lines:
  opening:
    any: [{_q("{buyer.name}, {buyer.company}." + HOSTILE)}]
examples:
  - name: {_q("a hostile example" + HOSTILE)}
    replies: ["Jordan, I have bad news: PO 7731 will not arrive on time."]
    expect: {{score: [0, 100]}}
""",
        encoding="utf-8",
    )
    calm = Path(__file__).parents[1] / "personas" / "calm.yaml"
    persona = calm.read_text(encoding="utf-8").splitlines()
    persona = [
        f"name: {_q('Hostile' + HOSTILE)}" if line.startswith("name:")
        else f"description: {_q('Composed.' + HOSTILE)}" if line.startswith("description:")
        else line
        for line in persona
    ]
    (personas / f"{PERSONA_ID}.yaml").write_text("\n".join(persona) + "\n", encoding="utf-8")
    (scenarios / "broken-call.yaml").write_text(
        f"title: broken\ndifficulty: {_q('medium' + HOSTILE)}\n{_q('key' + HOSTILE)}: 1\nbrief: b\n"
        "seller: {name: A B, role: r, company: c}\nbuyer: {name: C D, role: r, company: c}\n",
        encoding="utf-8",
    )
    return scenarios, personas
