"""The before-call quiz cannot be passed blind (issue 12): the right answer moves from question to question."""

from __future__ import annotations

from simulator.content.quiz import shown_options


def right_positions(scenario_id, scenario) -> list[int]:
    return [
        [o.id for o in shown_options(scenario_id, choice_id, choice)].index(next(o.id for o in choice.options if o.correct))
        for choice_id, choice in scenario.choices.items()
    ]


def test_no_bundled_scenario_puts_the_right_answer_in_the_same_place_in_every_question(library):
    for scenario_id, scenario in library.scenarios.items():
        positions = right_positions(scenario_id, scenario)
        assert len(set(positions)) > 1, (scenario_id, positions)


def test_the_order_is_the_same_every_time_and_keeps_every_option(library):
    scenario = library.scenario("late-shipment")
    for choice_id, choice in scenario.choices.items():
        first = [o.id for o in shown_options("late-shipment", choice_id, choice)]
        assert first == [o.id for o in shown_options("late-shipment", choice_id, choice)]
        assert sorted(first) == sorted(o.id for o in choice.options)
