"""A file that loads can still play wrong: validate warns, at the right line, about what a trainer would not see."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.authoring.lint import LintContext, band_gaps, check_file, spoken_bands
from simulator.authoring.stagegraph import implies, never_holds
from simulator.content.arc import default_arc
from simulator.content.loader import load_library
from simulator.content.models import Condition, Persona

HEAD = """\
title: Stages under test
difficulty: easy
brief: Tell {buyer.first_name} the parts are late.
seller: {name: Sam Keller, role: Account manager, company: Northgate}
buyer: {name: Dana Whitfield, role: Buyer, company: Larkspur}
impact: ["Our line stops on the 10th."]
"""


@pytest.fixture(scope="module")
def context() -> LintContext:
    """The bundled personas, no detector: these tests are about stages, lines and examples."""
    return LintContext(load_library().personas, None)


def write(tmp_path: Path, body: str, name: str = "under-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` first appears in the file."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def warnings(path: Path, context: LintContext) -> list[str]:
    problems = check_file(path, "scenario", context)
    assert all(p.severity == "warning" for p in problems), [str(p) for p in problems]
    return [str(p) for p in problems]


def test_a_stage_nothing_leads_to_is_reported_at_its_name(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions: [{to: ended, when: {any: [states_the_news]}}]
          forgotten:
            transitions: [{to: ended}]
          ended: {ending: by_mood}
        """)
    found = warnings(path, context)
    assert found == [f"{path}:{line_of(path, 'forgotten:')}:3: warning: stage 'forgotten' can never be reached from 'opening'"]


def test_a_stage_with_no_way_out_and_no_ending_is_a_dead_end(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions:
              - to: limbo
                when: {any: [states_the_news]}
              - to: ended
                when: {any: [apologizes]}
          limbo:
            description: Nothing leaves this stage.
          ended: {ending: won_back}
        lines:
          limbo: {any: ["Hello?"]}
        """)
    [message] = warnings(path, context)
    assert message.startswith(f"{path}:{line_of(path, 'limbo:')}:3: warning: stage 'limbo' has no `ending`")
    assert "only ends when the buyer hangs up or the trainee stops" in message


def test_stages_that_only_loop_among_themselves_are_dead_ends(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions:
              - to: ping
                when: {any: [states_the_news]}
              - to: ended
                when: {any: [apologizes]}
          ping:
            transitions: [{to: pong, when: {silent: true}}]
          pong:
            transitions: [{to: ping, when: {silent: true}}]
          ended: {ending: by_mood}
        lines:
          ping: {any: ["Ping?"]}
          pong: {any: ["Pong?"]}
        """)
    found = warnings(path, context)
    assert len(found) == 2
    assert all("leads to an ending stage" in m for m in found)


def test_a_transition_after_an_unconditional_one_never_fires(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions:
              - to: ended
              - to: venting
                when: {any: [states_the_news]}
          venting:
            venting: true
            transitions: [{to: ended, when: {vent_over: true}}]
          ended: {ending: by_mood}
        """)
    found = warnings(path, context)
    assert found == [
        (f"{path}:{line_of(path, '- to: venting')}:9: warning: transition to 'venting' can never fire: "
        "transition 1 (to 'ended') has no condition, so it always fires first"),
        # and with that edge dead, nothing leads to 'venting'
        f"{path}:{line_of(path, '  venting:')}:3: warning: stage 'venting' can never be reached from 'opening'",
    ]


def test_a_narrower_transition_behind_a_broader_one_never_fires(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions:
              - to: ended
                when: {any: [apologizes, owns_it]}
              - to: ended
                when: {all: [apologizes, states_the_news], temperature_below: 50}
          ended: {ending: by_mood}
        """)
    [message] = warnings(path, context)
    assert "transition 1 (to 'ended') is checked first and holds whenever this one does" in message


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ({"temperature_at_least": 60, "temperature_below": 40}, "no temperature is at least 60 and below 40"),
        ({"trust_at_least": 50, "trust_below": 50}, "no trust is at least 50 and below 50"),
        ({"all": ["apologizes"], "none": ["apologizes"]}, "apologizes must be both shown (`all`) and not shown (`none`)"),
        ({"any": ["minimizes"], "none": ["minimizes", "stalls"]}, "every behaviour of `any` is also in `none`"),
        ({"silent": True, "all": ["apologizes"]}, "a silent reply shows no other behaviour"),
        ({"silent": False, "any": ["stays_silent"]}, "must be spoken"),
        ({"temperature_below": 0}, "temperature is never below 0"),
    ],
)
def test_a_condition_that_contradicts_itself_never_holds(condition, reason):
    assert reason in never_holds(Condition.model_validate(condition), venting_anywhere=True)


def test_vent_over_needs_a_venting_stage():
    condition = Condition(vent_over=True)
    assert never_holds(condition, venting_anywhere=True) is None
    assert "needs a venting stage" in never_holds(condition, venting_anywhere=False)


@pytest.mark.parametrize(
    "condition",
    [{}, {"any": ["apologizes"], "none": ["blames_others"]}, {"temperature_at_least": 40, "temperature_below": 60},
     {"silent": True}, {"all": ["apologizes", "owns_it"], "so_far": ["states_the_news"]}],
)
def test_conditions_that_can_hold_are_not_flagged(condition):
    assert never_holds(Condition.model_validate(condition), venting_anywhere=True) is None


def test_shadowing_is_only_claimed_when_the_earlier_condition_really_covers_the_later():
    broad, narrow = Condition(any=["apologizes", "owns_it"]), Condition(all=["apologizes"], trust_at_least=30)
    assert implies(narrow, broad)
    assert not implies(broad, narrow)
    assert not implies(Condition(any=["owns_it"]), Condition(any=["apologizes"]))
    assert implies(Condition(temperature_below=30), Condition(temperature_below=50))
    assert not implies(Condition(temperature_below=50), Condition(temperature_below=30))


def test_an_ending_with_transitions_is_reported(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions: [{to: ended, when: {any: [states_the_news]}}]
          ended:
            ending: won_back
            transitions: [{to: opening}]
        """)
    [message] = warnings(path, context)
    assert "stage 'ended' is an ending (`ending: won_back`), so its transitions are never taken" in message


def test_a_custom_stage_without_lines_anywhere_leaves_the_buyer_silent(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions: [{to: haggling, when: {any: [states_the_news]}}]
          haggling:
            transitions: [{to: ended, when: {any: [offers_options]}}]
          ended: {ending: by_mood}
        lines:
          ended:
            any: ["Bye."]
        """)
    [message] = warnings(path, context)
    assert message.startswith(f"{path}:{line_of(path, 'haggling:')}:3: warning: stage 'haggling' has no buyer lines")
    # opening has no lines here but the default arc has some: no warning for it


def test_lines_far_from_a_band_a_persona_reaches_are_reported(tmp_path, context):
    path = write(tmp_path, """\
        lines:
          venting:
            calm: ["That's a problem."]
          questions:
            calm: ["What now?"]
            furious: ["WHAT NOW?"]
        """)
    [message] = warnings(path, context)
    assert message.startswith(f"{path}:{line_of(path, 'venting:')}:3: warning: lines of stage 'venting' have no `any`")
    assert "nothing near angry, furious" in message
    assert "an angry buyer would say a calm line, a furious buyer would say a calm line" in message
    assert "which persona angry, calm" in message  # the bundled buyers who get that hot


def test_lines_for_every_band_or_any_are_fine():
    assert band_gaps({"any": ["x"]}, ("calm", "tense", "angry", "furious")) == []
    assert band_gaps({"calm": ["x"], "angry": ["y"]}, ("calm", "tense", "angry", "furious")) == []
    assert band_gaps({"calm": ["x"]}, ("calm", "tense")) == []
    assert band_gaps({"calm": ["x"]}, ("calm", "tense", "angry")) == [("angry", "calm")]


def test_a_buyer_who_hangs_up_early_never_speaks_in_the_hot_bands():
    cool = Persona.model_validate({"name": "Cool", "description": "d", "start": {"temperature": 10, "trust": 50},
                                   "hang_up_at": 40})
    assert spoken_bands(cool) == ("calm", "tense")


def test_examples_that_cannot_run_or_never_pass_are_reported(tmp_path, context):
    path = write(tmp_path, """\
        choices:
          tell_them_first:
            prompt: When?
            options:
              - {id: now, text: Now, correct: true}
              - {id: later, text: Later, correct: false}
        examples:
          - name: one
            persona: clam
            choices: {tell_them_first: soon}
            replies: ["Dana, the parts are late."]
            expect: {score: [80, 60], hit: [alert_the_boss]}
          - name: one
            replies: ["Dana, the parts are late."]
            expect: {hit: [apologizes], missed: [apologizes]}
        """)
    found = "\n".join(warnings(path, context))
    assert f":{line_of(path, 'persona: clam')}:" in found and "example persona 'clam' is not loaded -- did you mean 'calm'?" in found
    assert "choice 'tell_them_first' has no option 'soon'" in found
    assert "score range [80, 60] is empty" in found
    assert "'alert_the_boss' is only scored when the example makes that choice" in found
    assert "two examples are named 'one'" in found
    assert "'apologizes' is expected both hit and missed" in found


def test_the_default_arc_is_clean():
    from simulator.authoring.stagegraph import stage_findings

    arc = default_arc()
    assert stage_findings(arc.start_stage, arc.stages) == []


def test_persona_that_hangs_up_before_it_starts_is_reported(tmp_path):
    path = tmp_path / "touchy.yaml"
    path.write_text("name: Touchy\ndescription: d\nstart: {temperature: 60, trust: 40}\nhang_up_at: 50\n")
    [problem] = check_file(path, "persona", LintContext())
    assert problem.severity == "warning" and problem.line == 4
    assert "every call ends at the first reply" in problem.message


def test_errors_still_come_first_and_stop_the_warnings(tmp_path, context):
    path = write(tmp_path, """\
        stages:
          opening:
            transitions: [{to: nowhere}]
          forgotten: {}
          ended: {ending: by_mood}
        """)
    problems = check_file(path, "scenario", context)
    assert [p.severity for p in problems] == ["error"]
    assert "transition to unknown stage 'nowhere'" in problems[0].message


def test_a_scenario_without_impact_is_told_what_the_buyer_will_answer(tmp_path, context):
    path = tmp_path / "no-impact.yaml"
    path.write_text(HEAD.replace('impact: ["Our line stops on the 10th."]\n', ""), encoding="utf-8")
    [message] = warnings(path, context)
    assert ":1:1: warning: no `impact:` lines" in message


def test_an_own_slot_the_buyer_cannot_ask_for_or_nothing_fills_is_reported_at_its_id(tmp_path, context):
    path = write(tmp_path, """\
        agenda:
          - id: site-access
            priority: 45
    """)
    found = warnings(path, context)
    at = line_of(path, "id: site-access")
    assert any(f":{at}:" in w and "slot 'site-access' has no `ask:` lines" in w for w in found), found
    assert any(f":{at}:" in w and "nothing the rep says fills it" in w for w in found), found


def test_lines_and_slots_that_name_what_does_not_exist_are_reported(tmp_path, context):
    path = write(tmp_path, """\
        facts: {new_date: 24 March}
        options:
          - {id: air-freight, text: Fly them in.}
        agenda:
          - id: when
            facts: [new_dat]
          - id: drop-in
            ask: {any: ["Is it drop-in?"]}
            phrases: ["drop-in"]
            when: {offered: [substitute]}
        lines:
          negotiating:
            any:
              - {text: "Two weeks?", when: {offered: [air-frieght], filled: [whne]}, asks: []}
    """)
    found = "\n".join(warnings(path, context))
    assert "names fact 'new_dat', which this scenario does not have -- did you mean 'new_date'?" in found
    assert "no option or offer 'substitute'" in found
    assert "no option or offer 'air-frieght' -- did you mean 'air-freight'?" in found
    assert "no agenda slot 'whne' -- did you mean 'when'?" in found
    assert f":{line_of(path, 'Two weeks?')}:" in found


def test_a_persona_asking_for_a_slot_no_agenda_has_is_warned_at_the_key(tmp_path):
    path = tmp_path / "terse.yaml"
    path.write_text(textwrap.dedent("""\
        name: Terse
        description: Says little.
        start: {temperature: 10, trust: 50}
        asks:
          when: {any: ["Date?"]}
          closing: {any: ["Fine."]}
    """), encoding="utf-8")
    [message] = [str(p) for p in check_file(path, "persona", LintContext())]
    assert ":6:3: warning: 'closing' is not a slot of the default agenda" in message
    assert "go under `lines:`" in message


def test_an_offer_phrase_heard_in_a_product_of_the_facts_said_in_the_plural_is_reported(tmp_path, context):
    path = write(tmp_path, """\
        facts: {part: PX-20 valve, substitute: PX-20B}
        options:
          - {id: px-20s, text: "Qualify the PX-20S, a lighter valve.", phrases: ["PX-20S", "qualify the PX-20S"]}
          - {id: px-20b, text: "Ship the PX-20B instead.", phrases: ["PX-20B"]}
    """)
    found = [w for w in warnings(path, context) if "said in the plural" in w]
    at = line_of(path, "id: px-20s")
    assert len(found) == 1 and f":{at}:" in found[0], found
    assert "phrase 'PX-20S' of options 'px-20s'" in found[0] and "('PX-20s')" in found[0]


def test_an_offer_phrase_heard_in_a_fact_as_written_is_reported_unless_the_fact_is_the_offers_own(tmp_path, context):
    """"DC-140S enclosure" is heard in the ordered "DC-140 enclosures": a rep naming the order offered the other part.
    A fact that is the offer's own figure ("lighter_price: $9.80", said by its own option) is not reported."""
    path = write(tmp_path, """\
        facts: {part: PX-20 valve, lighter_price: "$9.80"}
        options:
          - {id: px-20s, text: "Qualify the PX-20S, a lighter valve, at $9.80.", phrases: ["PX-20S valve", "$9.80"]}
          - {id: rush, text: "Rush the PX-20 order by air.", phrases: ["by air"]}
    """)
    found = [w for w in warnings(path, context) if "as written" in w]
    assert len(found) == 1, found
    assert "phrase 'PX-20S valve' of options 'px-20s' is heard in fact 'part' as written ('PX-20 valve')" in found[0]
