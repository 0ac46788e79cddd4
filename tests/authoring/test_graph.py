"""`badnews graph` draws the stage machine as Mermaid that Mermaid can parse, with every edge's condition on it."""

from __future__ import annotations

import re
import textwrap

import yaml

from simulator.authoring.graph import mermaid, mermaid_ids
from simulator.cli import main
from simulator.content.loader import load_scenario

# Mermaid's stateDiagram lexer: an id stops at ':', whitespace, '-' or '{'; an edge label runs to ':' ';' or newline.
MERMAID_ID = r"(?:\[\*\]|[^:\s\-{]+)"
EDGE = re.compile(rf"^    ({MERMAID_ID}) --> ({MERMAID_ID})(?:: ([^:;]+))?$")
STATE = re.compile(r'^    state "([^"]+)" as (\w+)$')

CUSTOM = """\
title: "Price talk: a custom machine"
difficulty: hard
brief: Tell {buyer.first_name} the price goes up.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
start_stage: price-talk
stages:
  price-talk:
    transitions:
      - to: let-off-steam
        when: {any: [states_the_news], none: [minimizes]}
      - to: state
        when: {trust_below: 30, temperature_at_least: 60}
      - to: state
  let-off-steam:
    venting: true
    transitions: [{to: deal, when: {vent_over: true}}]
  state:
    transitions:
      - to: deal
      - to: let-off-steam
        when: {silent: true}
  deal: {ending: won_back}
lines:
  price-talk: {any: ["Yes?"]}
  let-off-steam: {any: ["What?!"]}
  state: {any: ["Hm."]}
  deal: {any: ["Fine."]}
"""


def parse(diagram: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """States (id -> label) and edges (from, to, label); fails on any line Mermaid would not read."""
    lines = diagram.splitlines()
    assert lines[0] == "---" and lines[2] == "---" and lines[3] == "stateDiagram-v2"
    assert "title" in yaml.safe_load(lines[1])
    states, edges = {}, []
    for line in lines[4:]:
        if match := STATE.match(line):
            states[match.group(2)] = match.group(1)
        elif match := EDGE.match(line):
            edges.append(match.groups(""))
        else:
            raise AssertionError(f"Mermaid would not parse: {line!r}")
    return states, edges


def custom(tmp_path):
    path = tmp_path / "price-talk.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    return path


def test_hyphenated_and_keyword_stage_names_become_safe_ids_and_keep_their_names_as_labels(tmp_path):
    states, edges = parse(mermaid(load_scenario(custom(tmp_path))))
    assert states["s_price_talk"] == "price-talk"
    assert states["s_let_off_steam"] == "let-off-steam (buyer vents)"
    assert states["s_state"] == "state"
    assert ("[*]", "s_price_talk", "") in edges


def test_every_edge_is_labelled_with_its_condition_in_order(tmp_path):
    _, edges = parse(mermaid(load_scenario(custom(tmp_path))))
    assert ("s_price_talk", "s_let_off_steam", "1. any(states_the_news) and none(minimizes)") in edges
    assert ("s_price_talk", "s_state", "2. temperature >= 60 and trust < 30") in edges
    assert ("s_price_talk", "s_state", "3. otherwise") in edges
    assert ("s_let_off_steam", "s_deal", "vent over") in edges


def test_a_transition_that_can_never_fire_is_marked(tmp_path):
    _, edges = parse(mermaid(load_scenario(custom(tmp_path))))
    assert ("s_state", "s_let_off_steam", "2. silent (never fires)") in edges


def test_endings_and_the_hang_up_lead_out_of_the_diagram(tmp_path):
    states, edges = parse(mermaid(load_scenario(custom(tmp_path))))
    assert ("s_deal", "[*]", "won back") in edges
    assert ("s_hung_up", "[*]", "lost") in edges
    assert "when the buyer hangs up" in states["s_hung_up"]


def test_a_scenario_without_stages_shows_the_default_arc():
    from simulator.paths import bundled_dir

    diagram = mermaid(load_scenario(bundled_dir("scenarios") / "late-shipment.yaml"))
    states, edges = parse(diagram)
    assert "the engine's default arc" in diagram.splitlines()[1]
    assert {"s_opening", "s_venting", "s_ended"} <= set(states)
    assert ("s_closing", "s_ended", "1. goodbye") in edges
    assert ("s_closing", "s_ended", "2. any(thanks_patience, keeps_informed) and none(asks_forgiveness, apologizes, prevents_recurrence, corrective_action, offers_options, compensates) and so_far(apologizes) and asks nothing") in edges


def test_ids_that_collide_after_cleaning_stay_distinct():
    ids = mermaid_ids(["a-b", "a_b", "a b"])
    assert len(set(ids.values())) == 3


def test_graph_command_takes_a_file_or_a_loaded_scenario_id(tmp_path, capsys):
    assert main(["graph", str(custom(tmp_path))]) == 0
    assert "s_price_talk --> s_let_off_steam" in capsys.readouterr().out
    assert main(["graph", "late-shipment"]) == 0
    assert capsys.readouterr().out.startswith("---\ntitle:")


def test_graph_command_explains_an_unknown_scenario_and_a_broken_file(tmp_path, capsys):
    assert main(["graph", "late-shipmnt"]) == 1
    assert "did you mean 'late-shipment'" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text(textwrap.dedent("title: x\ndifficulty: tough\n"))
    assert main(["graph", str(broken)]) == 1
    assert f"{broken}:2:13: error:" in capsys.readouterr().err


# --- DOT and pictures ------------------------------------------------------------------

DOT_EDGE = re.compile(r'^    (\w+) -> (\w+) \[label="((?:[^"\\]|\\.)*)"\];$')


def test_dot_has_the_same_stages_and_edges_as_the_mermaid_diagram(tmp_path):
    from simulator.authoring.graph import graphviz

    path = tmp_path / "price-talk.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    scenario = load_scenario(path)
    mermaid_edges = [  # the edge from the start has no label in either
        m.groups() for line in mermaid(scenario).splitlines() if (m := EDGE.match(line)) and m.group(3) is not None
    ]
    dot_edges = [m.groups() for line in graphviz(scenario).splitlines() if (m := DOT_EDGE.match(line))]
    assert len(dot_edges) == len(mermaid_edges) and len(dot_edges) > 5

    def same(node: str, other: str) -> bool:
        return node == other or {node, other} <= {"start", "end", "[*]"}

    for (a, b, label), (ma, mb, mlabel) in zip(dot_edges, mermaid_edges, strict=True):
        assert same(a, ma) and same(b, mb) and label == (mlabel or "").strip()


def test_a_title_with_quotes_and_backslashes_stays_one_dot_string(tmp_path):
    from simulator.authoring.graph import graphviz

    path = tmp_path / "quoted.yaml"
    data = yaml.safe_load(CUSTOM)
    data["title"] = 'Say "no" \\ then "yes"'  # one backslash
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    first = graphviz(load_scenario(path)).splitlines()[1]
    assert first.startswith('    label="Say \\"no\\" \\\\ then \\"yes\\"";')


def test_svg_is_drawn_by_graphviz_and_says_so(tmp_path, capsys):
    import shutil

    import pytest

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (.ci/run installs it)")
    target = tmp_path / "stages.svg"
    assert main(["graph", "late-shipment", "--format", "svg", "-o", str(target)]) == 0
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "venting (buyer vents)" in svg
    assert "drawn with Graphviz (dot)" in capsys.readouterr().err


def test_with_no_renderer_a_picture_is_a_clear_error_and_text_still_works(monkeypatch, tmp_path, capsys):
    import simulator.authoring.graph as graph

    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    assert main(["graph", "late-shipment", "--format", "png", "-o", str(tmp_path / "x.png")]) != 0
    err = capsys.readouterr().err
    assert "needs Graphviz's 'dot' or Mermaid's 'mmdc'" in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()
    assert main(["graph", "late-shipment", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph stages {")
