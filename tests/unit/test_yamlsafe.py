"""Trainers' YAML is hand-written and may be hostile: every problem comes back located, never as a crash."""

from __future__ import annotations

import json
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.content import yamlsafe
from simulator.content.errors import ContentError, Problem
from simulator.content.yamlsafe import Located, load_yaml_file, load_yaml_text

HOSTILE = Path(__file__).parent.parent / "fixtures" / "hostile"
# Hostile files are refused early by counting (values, depth, expansions), never by a clock: the
# time each refusal takes is printed by benchmarks/bench_hostile.py, not asserted here.
MEMORY_LIMIT = 20 * 2**20  # bytes of python allocations while loading one hostile file


class _PurePythonLoader(yaml.SafeLoader):
    """The parser used where libyaml is not installed."""


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each parser PyYAML may give us: the behaviour must not depend on it."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlsafe, "_Loader", _PurePythonLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed")
    return request.param


def problems_of(load: Callable[[], Located]) -> list[Problem]:
    """The problems a load reports, checking it reports some."""
    with pytest.raises(ContentError) as caught:
        load()
    return caught.value.problems


def text_problems(text: str | bytes) -> list[Problem]:
    """The problems load_yaml_text reports for a text named 'f.yaml'."""
    return problems_of(lambda: load_yaml_text(text, "f.yaml"))


def only(problems: list[Problem]) -> Problem:
    """The single problem of a list that must hold exactly one."""
    assert len(problems) == 1, problems
    return problems[0]


def nested(depth: int, leaf: str = "x") -> str:
    """A flow list nested depth deep: [[[x]]]."""
    return "[" * depth + leaf + "]" * depth


# -- what a good file gives ----------------------------------------------------------------


def test_a_valid_file_gives_plain_data_and_the_position_of_every_value(parser: str) -> None:
    text = "# briefing\ntitle: Late shipment\nsteps:\n  - apologise\n  - {say: sorry, weight: 2}\n"
    located = load_yaml_text(text)
    assert located.data == {"title": "Late shipment", "steps": ["apologise", {"say": "sorry", "weight": 2}]}
    assert located.position(["title"]) == (2, 8)
    assert located.position(["steps", 0]) == (4, 5)
    assert located.position(["steps", 1, "weight"]) == (5, 26)
    assert located.key_position(["steps", 1, "weight"]) == (5, 18)


def test_a_position_falls_back_to_the_nearest_ancestor_and_the_root_is_1_1() -> None:
    located = load_yaml_text("\n\nbuyer:\n  name: Dana\n")
    assert located.position(["buyer", "mood"]) == (4, 3)
    assert located.position(["nowhere", 3]) == (1, 1)
    assert located.position([]) == (1, 1)
    assert located.key_position(["buyer", "mood"]) == (4, 3)


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n", "---\n", "# hi\n---\n...\n"])
def test_a_file_without_data_is_empty(parser: str, text: str) -> None:
    problem = only(text_problems(text))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "the file is empty; expected 'key: value' lines"


def test_problems_name_the_path_given() -> None:
    problem = only(problems_of(lambda: load_yaml_text("a: [\n", "scenarios/late.yaml")))
    assert str(problem).startswith("scenarios/late.yaml:2:1: error: not valid YAML")


def test_keys_stay_the_text_written_while_values_follow_yaml(parser: str) -> None:
    located = load_yaml_text("no: yes\non: off\n404: 404\n~: null\nwhen: 2024-05-01\n")
    assert located.data == {"no": True, "on": False, "404": 404, "~": None, "when": "2024-05-01"}


def test_long_digit_runs_stay_text_instead_of_costing_quadratic_time() -> None:
    sexagesimal = ":".join(["1"] * 200_000)
    located = load_yaml_text(f"a: {sexagesimal}\nb: {'9' * 5000}\n")
    assert located.data == {"a": sexagesimal, "b": "9" * 5000}


def test_an_explicit_number_tag_on_a_huge_number_is_refused() -> None:
    problem = only(text_problems("a: !!int " + "1:" * 100_000 + "1\n"))
    assert (problem.line, problem.column) == (1, 4)
    assert "number is too long" in problem.message


def test_merge_keys_take_written_keys_first_then_earlier_merged_mappings(parser: str) -> None:
    text = (
        "base: &base {mood: calm, patience: 3}\n"
        "loud: &loud {mood: angry, volume: 9}\n"
        "buyer:\n  <<: [*base, *loud]\n  patience: 1\n"
    )
    located = load_yaml_text(text)
    assert located.data["buyer"] == {"mood": "calm", "patience": 1, "volume": 9}
    assert located.position(["buyer", "mood"]) == (1, 20)  # where the merged value is written
    assert located.position(["buyer", "patience"]) == (5, 13)


def test_merging_something_that_is_not_a_mapping_is_a_problem() -> None:
    problem = only(text_problems("name: &name Dana\nbuyer:\n  <<: *name\n"))
    assert (problem.line, problem.column) == (3, 7)
    assert problem.message == "'<<' merges mappings into this one, but this is a single value"


def test_an_aliased_value_is_placed_at_the_alias_and_its_insides_at_the_anchor(parser: str) -> None:
    located = load_yaml_text("calm: &calm\n  mood: calm\nbuyer: *calm\n")
    assert located.data["buyer"] == {"mood": "calm"}
    assert located.position(["buyer"]) == (3, 8)
    assert located.position(["buyer", "mood"]) == (2, 9)


def test_aliases_are_copies_so_changing_one_does_not_change_the_other() -> None:
    located = load_yaml_text("a: &a [1]\nb: *a\n")
    located.data["a"].append(2)
    assert located.data["b"] == [1]


def test_a_utf8_bom_is_fine_and_does_not_shift_columns(parser: str) -> None:
    located = load_yaml_file(HOSTILE / "utf8_bom.yaml")
    assert located.data == {"title": "Late shipment", "mood": "calm"}
    assert located.position(["title"]) == (1, 8)


# -- broken and hostile files --------------------------------------------------------------

HOSTILE_FILES = [
    ("not_yaml.yaml", 3, 5, "not valid YAML"),
    ("python_tag.yaml", 2, 8, "tag '!!python/object/apply:os.system' is not allowed"),
    ("custom_tag.yaml", 2, 8, "tag '!include' is not allowed"),
    ("alias_bomb.yaml", 6, 28, "aliases expand this file past 50,000 values"),
    ("recursive_alias.yaml", 1, 27, "alias '*steps' is used inside the node it names"),
    ("duplicate_keys.yaml", 5, 1, "duplicate key 'title' (first at line 3)"),
    ("invalid_utf8.yaml", 2, 11, "invalid UTF-8 (0xe9)"),
    ("binary.yaml", 3, 1, "this is not a text file"),
    ("utf16.yaml", 1, 1, "saved as UTF-16"),
    ("tab_indent.yaml", 3, 1, "indent with spaces"),
    ("empty.yaml", 1, 1, "the file is empty"),
    ("scalar.yaml", 1, 1, "the whole file is a single value"),
    ("two_documents.yaml", 2, 1, "a second YAML document starts here"),
]


@pytest.mark.parametrize(("name", "line", "column", "message"), HOSTILE_FILES)
def test_each_hostile_file_gives_one_problem_at_the_right_place(
    parser: str, name: str, line: int, column: int, message: str
) -> None:
    problem = only(problems_of(lambda: load_yaml_file(HOSTILE / name)))
    assert problem.path == str(HOSTILE / name)
    assert (problem.line, problem.column) == (line, column), problem
    assert message in problem.message


def test_a_syntax_error_says_where_the_unfinished_construct_began(parser: str) -> None:
    problem = only(problems_of(lambda: load_yaml_file(HOSTILE / "not_yaml.yaml")))
    assert "at line 2, column 8" in problem.message


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.mkdir [{target}]",
        "!!python/object/new:os.mkdir [{target}]",
        "!!python/object/apply:os.mkdir {{args: [{target}]}}",
        "!!python/name:os.mkdir",
        "!!python/module:os",
    ],
)
def test_python_tags_are_reported_and_never_run(
    parser: str, payload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)  # python_tag-style payloads with relative paths would land here
    problem = only(text_problems("title: ok\nbuyer: " + payload.format(target=json.dumps(str(target))) + "\n"))
    assert (problem.line, problem.column) == (2, 8)
    assert "is not allowed" in problem.message
    assert list(tmp_path.iterdir()) == []


def test_the_payload_in_those_tests_is_live_under_an_unsafe_loader(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    yaml.unsafe_load(f"buyer: !!python/object/apply:os.mkdir [{json.dumps(str(target))}]")
    assert target.is_dir()


def test_the_python_tag_fixture_runs_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    problems_of(lambda: load_yaml_file(HOSTILE / "python_tag.yaml"))
    assert not (tmp_path / "pwned").exists()


def test_every_bad_tag_of_a_file_is_reported_at_once(parser: str) -> None:
    text = "a: !!binary aGk=\nb: !!set {x}\nc:\n  - !!str [1]\n  - !!int abc\n  - !!bool maybe\n!!python/name:os.system : key\n"
    allowed = "only text, numbers, true/false, null, lists and mappings are allowed"
    problems = text_problems(text)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 4, f"tag '!!binary' is not allowed; {allowed}"),
        (2, 4, f"tag '!!set' is not allowed; {allowed}"),
        (4, 5, "tag '!!str' cannot be used on a list"),
        (5, 5, "'abc' is not a valid !!int"),
        (6, 5, "'maybe' is not a valid !!bool"),
        (7, 1, f"tag '!!python/name:os.system' is not allowed; {allowed}"),
    ]


def test_a_billion_laughs_stops_early_with_little_memory(parser: str) -> None:
    text = (HOSTILE / "alias_bomb.yaml").read_text()
    tracemalloc.start()
    try:
        problem = only(text_problems(text))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "aliases expand this file past" in problem.message
    assert peak < MEMORY_LIMIT


def test_one_huge_text_repeated_by_aliases_is_stopped(parser: str) -> None:
    text = "a: &a " + "x" * 1_000_000 + "\nb: [*a, *a, *a, *a, *a]\n"
    problem = only(text_problems(text))
    assert (problem.line, problem.column) == (2, 17)  # the alias that went past the limit
    assert "characters of text" in problem.message


def test_aliases_that_nest_copies_past_the_depth_limit_are_stopped(parser: str) -> None:
    levels = [f"l0: &l0 {nested(40)}"] + [f"l{i}: &l{i} {nested(40, f'*l{i - 1}')}" for i in range(1, 5)]
    problem = only(text_problems("\n".join(levels) + "\n"))
    assert "aliases nest lists and mappings more than 64 deep" in problem.message


def test_merge_keys_cannot_multiply_work_exponentially(parser: str) -> None:
    levels = ["m0: &m0 {a: 1, b: 2}"] + [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, 40)]
    problem = only(text_problems("\n".join(levels) + "\n"))
    assert problem.message == "aliases expand this file past 50,000 values"


def test_a_chain_of_merges_past_the_depth_limit_is_stopped(parser: str) -> None:
    levels = ["m0: &m0 {a: 1}"] + [f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: {i}}}" for i in range(1, 70)]
    problem = only(text_problems("\n".join(levels) + "\n"))
    assert problem.message == "merge keys ('<<') chain more than 64 deep"


def test_an_alias_to_no_anchor_is_a_problem_at_the_alias(parser: str) -> None:
    problem = only(text_problems("title: ok\nbuyer: *dana\n"))
    assert (problem.line, problem.column) == (2, 8)
    assert problem.message == "alias '*dana' names no anchor; write '&dana' on a value before it"


def test_every_duplicate_key_is_reported_even_in_nested_mappings(parser: str) -> None:
    problems = text_problems("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 3, "duplicate key 'c' (first at line 3)"),
        (5, 1, "duplicate key 'a' (first at line 1)"),
    ]


def test_keys_that_differ_only_in_how_they_are_quoted_are_duplicates() -> None:
    problem = only(text_problems("404: a\n'404': b\n"))
    assert problem.message == "duplicate key '404' (first at line 1)"


def test_a_key_that_is_a_list_or_mapping_is_a_problem(parser: str) -> None:
    problems = text_problems("? [a, b]\n: 1\n? {c: d}\n: 2\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 3, "a key must be a plain name, not a list"),
        (3, 3, "a key must be a plain name, not a mapping"),
    ]


def test_each_invalid_utf8_sequence_is_named_at_its_line_and_column() -> None:
    problems = text_problems("title: Jos\xe9\nbuyer: ok \xe2\x82 and \xff\n".encode("latin-1"))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 11, "invalid UTF-8 (0xe9); save the file as UTF-8"),
        (2, 11, "invalid UTF-8 (0xe2 0x82); save the file as UTF-8"),
        (2, 18, "invalid UTF-8 (0xff); save the file as UTF-8"),
    ]


def test_columns_count_characters_not_bytes(parser: str) -> None:
    problem = only(text_problems("café: [1, 2\n".encode()))
    assert problem.line in (1, 2) and "not valid YAML" in problem.message
    located = load_yaml_text("café: [ñ, ü]\n".encode())
    assert located.position(["café", 1]) == (1, 11)


def test_control_characters_are_each_reported(parser: str) -> None:
    problems = text_problems("a: bell\x07\nb: esc\x1b here\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 8, "character U+0007 is not allowed in a YAML file"),
        (2, 7, "character U+001B is not allowed in a YAML file"),
    ]


def test_a_lone_surrogate_in_text_is_reported_not_a_crash(parser: str) -> None:
    problem = only(text_problems("a: ok\nb: \ud800\n"))
    assert (problem.line, problem.column, problem.message) == (2, 4, "character U+D800 is not allowed in a YAML file")


def test_a_nul_in_text_means_it_is_not_a_text_file() -> None:
    problem = only(text_problems("a: b\nc\x00d"))
    assert (problem.line, problem.column) == (2, 2)
    assert problem.message == "this is not a text file (it contains a NUL byte)"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as stream:
        stream.write("phrases:\n" + "  - I am so sorry about the delay on your order\n" * (50 * 2**20 // 48))
        stream.write(" " * (50 * 2**20 - stream.tell()))
    problem = only(problems_of(lambda: load_yaml_file(big)))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("file is 50.0 MiB; the limit is ")


def test_text_over_the_limit_is_refused() -> None:
    problem = only(text_problems("a" * (yamlsafe.MAX_FILE_BYTES + 1)))
    assert problem.message.startswith("file is ")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (nested(10_000), 1, 65),
        ("- " * 10_000 + "x", 1, 129),
        ("{a: " * 10_000 + "}" * 10_000, 1, 257),
        ("".join("  " * depth + "k:\n" for depth in range(1_000)), 65, 129),
    ],
    ids=["flow lists", "block lists", "flow mappings", "block mappings"],
)
def test_deep_nesting_stops_at_the_depth_limit(parser: str, text: str, line: int, column: int) -> None:
    problem = only(text_problems(text))
    if parser == "libyaml" and problem.column == 1001:
        # libyaml 0.2.5+ scans a run of '[' ahead and stops at its own limit of 1000 before any event
        # reaches the composer: still refused, still located, in libyaml's words.
        assert problem.line == 1 and "nesting depth" in problem.message
        return
    assert (problem.line, problem.column) == (line, column)
    assert problem.message == "lists and mappings are nested more than 64 deep here"


def test_nesting_up_to_the_limit_is_fine(parser: str) -> None:
    located = load_yaml_text(nested(yamlsafe.MAX_DEPTH))
    assert located.position([0] * (yamlsafe.MAX_DEPTH - 1)) == (1, yamlsafe.MAX_DEPTH)


def test_a_file_with_too_many_values_is_stopped_early(parser: str) -> None:
    problem = only(text_problems("[" + "1, " * 60_000 + "]"))
    assert problem.message == "the file has more than 50,000 values; split it up"


def test_a_file_full_of_mistakes_stops_after_max_problems() -> None:
    problems = text_problems("".join(f"k: !bad{i} x\n" for i in range(500)))
    assert len(problems) == yamlsafe.MAX_PROBLEMS + 1
    assert any(p.message.startswith("too many problems") for p in problems)


# -- files that cannot be read -------------------------------------------------------------


def test_a_missing_file_is_a_problem_at_1_1_with_the_os_error(tmp_path: Path) -> None:
    problem = only(problems_of(lambda: load_yaml_file(tmp_path / "nope.yaml")))
    assert (problem.path, problem.line, problem.column) == (str(tmp_path / "nope.yaml"), 1, 1)
    assert problem.message == f"cannot read the file: {os.strerror(2)}"


def test_a_directory_is_a_problem(tmp_path: Path) -> None:
    problem = only(problems_of(lambda: load_yaml_file(tmp_path)))
    assert problem.message == "cannot read the file: it is a directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    problem = only(problems_of(lambda: load_yaml_file(pipe)))
    assert problem.message == "cannot read the file: it is not a regular file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_a_problem_with_the_os_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")
    locked.chmod(0)
    problem = only(problems_of(lambda: load_yaml_file(locked)))
    assert problem.message == f"cannot read the file: {os.strerror(13)}"


# -- anything at all -----------------------------------------------------------------------

YAML_PIECES = st.sampled_from(
    [*list("-:[]{}&*!|>'\"#?,%@`~<=\\. \t\n\r"), "a", "0", "é", "\ufeff", "\x85", "\u2028", "\x00", "\x07", "!!python/name:os.system", "!!int", "!!binary", "<<", "&a", "*a", "---", "...", "yes", "1:2"]
)


def must_load_or_report(text: str | bytes) -> None:
    """The property every input must have: data or located problems, nothing else."""
    try:
        located = load_yaml_text(text, "f.yaml")
    except ContentError as error:
        assert error.problems and all(p.line >= 1 and p.column >= 1 for p in error.problems)
    else:
        assert isinstance(located.data, (dict, list))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_loads_or_reports_problems(text: str) -> None:
    must_load_or_report(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_yaml_like_text_loads_or_reports_problems(text: str) -> None:
    must_load_or_report(text)


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_load_or_report_problems(data: bytes) -> None:
    must_load_or_report(data)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_yaml_like_text_loads_or_reports_problems_without_libyaml(text: str) -> None:
    original = yamlsafe._Loader
    yamlsafe._Loader = _PurePythonLoader
    try:
        must_load_or_report(text)
    finally:
        yamlsafe._Loader = original
