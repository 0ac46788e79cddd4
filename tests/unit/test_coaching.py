"""The debrief leads with what to do next (issue 12): a sentence squaring outcome and score, then the
three costliest changes in the rep's own words, with what to say instead in the scenario's words."""

from __future__ import annotations

from simulator.engine.script import play_script
from simulator.render.coaching import plain_name, three_fixes, verdict_sentence, what_happened
from simulator.render.plain import format_debrief
from simulator.scoring.result import call_result

BAD = [
    "Hi Dana, how are you? How was the trade show?",
    "So, just a small update, nothing major, the MCUs might be a few days late.",
    "Honestly it's the shipping line's fault, they messed up, not us.",
]


def result_of(library, replies, scenario="late-shipment", persona="calm"):
    return call_result(play_script(library.scenario(scenario), library.persona(persona), replies))


def test_the_three_fixes_are_the_costliest_lines_costliest_first(library):
    result = result_of(library, BAD)
    fixes = three_fixes(result)
    losses = sorted((lost for _, lost in result.losses().values()), reverse=True)
    assert len(fixes) == 3 and [f.points for f in fixes] == [round(x, 1) for x in losses[:3]]


def test_a_penalty_is_shown_with_the_reps_own_words_and_a_better_way_in_the_scenarios_words(library):
    result = result_of(library, BAD)
    blame = next(f for f in three_fixes(result, count=10) if f.behaviour == "blames_others")
    assert blame.title == "Don't blame others"
    assert "shipping line's fault" in what_happened(blame) and blame.reply == 3
    missing = next(f for f in three_fixes(result, count=10) if f.behaviour == "states_the_news")
    assert what_happened(missing) == "You never did this."
    assert missing.instead.startswith("Dana, I have bad news: PO 4471")


def test_the_sentence_squares_a_won_back_buyer_with_a_failing_score(library):
    result = result_of(library, BAD).model_copy(update={"outcome": "won_back", "passed": False})
    sentence = verdict_sentence(result)
    assert sentence.startswith("Dana was won back, but the score counts the doctrine's steps")


def test_the_plain_debrief_leads_with_the_fixes_before_the_full_rubric(library):
    text = format_debrief(result_of(library, BAD))
    assert text.index("What to change first") < text.index("The conversation") < text.index("Your replies")
    first = text[: text.index("The conversation")]
    assert "blames_others.yaml" not in first and "strength" not in first


def test_every_rubric_line_reads_as_an_instruction():
    assert plain_name("offers_options", True) == "Offer options"
    assert plain_name("goes_over_their_head", False) == "Don't go over their head"
    assert plain_name("dismisses_feelings", False) == "Don't dismiss feelings"


def test_a_wrong_choice_before_the_call_is_shown_as_what_the_rep_chose_not_as_never_done(library):
    scenario = library.scenario("hotel-lost-booking")
    wrong = {cid: next(o for o in choice.options if not o.correct) for cid, choice in scenario.choices.items()}
    played = play_script(scenario, library.persona("numbers"), ["Rachel, I'm sorry."],
                         choices={cid: option.id for cid, option in wrong.items()})
    fixes = {f.behaviour: f for f in three_fixes(call_result(played), count=40)}
    assert set(wrong) <= set(fixes)
    for choice_id, option in wrong.items():
        told = what_happened(fixes[choice_id])
        assert told.startswith("You chose: ") and option.text.rstrip(".") in told, told
