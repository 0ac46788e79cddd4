"""The stage machine: first matching transition wins, endings are final, no trigger sequence breaks it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.catalogue import REPLY_IDS
from simulator.content.arc import default_arc
from simulator.content.models import Condition, Stage, Transition
from simulator.engine.machine import HUNG_UP, ReplyFacts, StageMachine, holds
from simulator.engine.mood import Mood


def facts(*behaviours, so_far=(), silent=False, vent_over=False, temperature=20, trust=50, turns=1):
    return ReplyFacts(
        behaviours=frozenset(behaviours),
        so_far=frozenset(so_far) | frozenset(behaviours),
        silent=silent,
        vent_over=vent_over,
        mood=Mood(temperature, trust),
        turns_in_stage=turns,
    )


def default_machine() -> StageMachine:
    arc = default_arc()
    return StageMachine(arc.stages, arc.start_stage)


def test_an_empty_condition_always_holds():
    assert holds(Condition(), facts())


def test_every_part_of_a_condition_must_hold():
    condition = Condition(any=["apologizes"], temperature_below=50, turns_in_stage_at_least=2)
    assert holds(condition, facts("apologizes", temperature=40, turns=2))
    assert not holds(condition, facts("apologizes", temperature=60, turns=2))
    assert not holds(condition, facts("apologizes", temperature=40, turns=1))
    assert not holds(condition, facts("owns_it", temperature=40, turns=2))


def test_none_and_so_far_conditions():
    assert not holds(Condition(none=["blames_others"]), facts("blames_others"))
    assert holds(Condition(so_far=["states_the_news"]), facts("apologizes", so_far=["states_the_news"]))
    assert not holds(Condition(so_far=["states_the_news"]), facts("apologizes"))


def test_the_first_transition_whose_condition_holds_wins():
    stages = {
        "a": Stage(transitions=[Transition(to="b", when=Condition(any=["owns_it"])), Transition(to="c")]),
        "b": Stage(ending="won_back"),
        "c": Stage(ending="lost"),
    }
    machine = StageMachine(stages, "a")
    assert machine.advance(facts("owns_it")) and machine.state == "b"
    other = StageMachine(stages, "a")
    assert other.advance(facts("apologizes")) and other.state == "c"


def test_a_hang_up_reaches_hung_up_from_any_stage():
    machine = default_machine()
    machine.advance(facts("states_the_news"))
    machine.hang_up_now()
    assert machine.state == HUNG_UP and machine.stage.ending == "lost"


reply_facts = st.builds(
    lambda behaviours, silent, vent_over, temperature, trust, turns: facts(
        *behaviours, silent=silent, vent_over=vent_over, temperature=temperature, trust=trust, turns=turns
    ),
    st.sets(st.sampled_from(REPLY_IDS), max_size=5),
    st.booleans(),
    st.booleans(),
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(1, 10),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(reply_facts, max_size=30), st.booleans())
def test_no_sequence_of_replies_reaches_an_impossible_state(sequence, hang_up_midway):
    machine = default_machine()
    ended_at = None
    for step, reply in enumerate(sequence):
        if hang_up_midway and step == len(sequence) // 2:
            machine.hang_up_now()
        machine.advance(reply)
        assert machine.state in machine.stages
        if ended_at is not None:
            assert machine.state == ended_at, "an ending stage must be final"
        if machine.stage.ending:
            ended_at = machine.state


def test_a_machine_with_no_transition_anywhere_stays_put_instead_of_raising():
    """A machine whose only stage is an ending has no `reply` trigger at all: advancing is a no-op."""
    machine = StageMachine({"done": Stage(ending="won_back")}, "done")
    assert machine.advance(facts("states_the_news")) is False
    machine.hang_up_now()  # already over: an ending is final
    assert machine.state == "done"


def test_a_scenario_that_starts_at_an_ending_is_an_error_at_its_start_stage(tmp_path):
    from simulator.content.errors import ContentError
    from simulator.content.loader import load_scenario

    path = tmp_path / "ends-at-once.yaml"
    path.write_text(
        'title: "Ends at once"\ndifficulty: easy\nbrief: The order is late.\n'
        "seller: {name: Sam Keller, role: Account manager, company: Northgate}\n"
        "buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}\n"
        "start_stage: done\nstages:\n  done:\n    ending: won_back\n",
        encoding="utf-8",
    )
    try:
        load_scenario(path)
    except ContentError as error:
        [problem] = error.problems
        assert (problem.line, problem.column) == (6, 14) and "is an ending" in problem.message
    else:
        raise AssertionError("a scenario that starts at an ending loaded")
