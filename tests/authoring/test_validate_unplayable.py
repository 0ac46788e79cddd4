"""Files that load but could not be played, or that hide an invisible character, are errors at their spot."""

from __future__ import annotations

from simulator.cli import main
from simulator.content.loader import load_library

HEAD = (
    'title: "A persona nobody wrote"\ndifficulty: easy\nbrief: The order is late.\n'
    "seller: {name: Sam Keller, role: Account manager, company: Northgate}\n"
    "buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}\n"
)


def test_a_default_persona_no_file_defines_is_an_error_with_the_nearest_name(tmp_path, capsys):
    path = tmp_path / "no-persona.yaml"
    path.write_text(HEAD + "default_persona: angyr\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path.name}:6:18: error: default_persona 'angyr' is not a loaded persona" in out and "'angry'" in out


def test_a_scenario_whose_persona_is_missing_is_skipped_and_said_by_list_and_the_app(tmp_path):
    (tmp_path / "no-persona.yaml").write_text(HEAD + "default_persona: grumpy\n", encoding="utf-8")
    library = load_library([tmp_path])
    assert "no-persona" not in library.scenarios and "late-shipment" in library.scenarios
    assert any("default_persona 'grumpy' is not a loaded persona; skipped" in p.message for p in library.problems)


def test_a_byte_order_mark_in_the_middle_of_a_file_is_named_at_its_line(tmp_path, capsys):
    path = tmp_path / "pasted.yaml"
    path.write_bytes(HEAD.encode() + b"\xef\xbb\xbfdefault_persona: calm\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path.name}:6:1: error: a byte-order mark (U+FEFF, invisible) in the middle of the file" in out
