"""Every format renders the same result the same way: a partly earned line is 'partly', replies count 1, 2, 3."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simulator.engine.script import play_script
from simulator.render.plain import format_debrief, format_transcript
from simulator.render.report import ReportHeader, report_markdown
from simulator.render.rubric import sections
from simulator.scoring.result import CallResult, call_result
from simulator.status import CallStatus

# One option named, a thank-you without the rest of the close: options_count and closes_with_support are partly earned.
PARTLY = [
    "Dana, PO 4471 will not arrive on 3 March. It now arrives on 24 March.",
    "",
    "We can air-freight 2,000 units at our cost.",
    "Thank you for your patience.",
]
WHEN = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def result(library) -> CallResult:
    call = play_script(library.scenario("late-shipment"), library.persona("calm"), PARTLY)
    return call_result(call)


def test_a_partly_earned_line_reads_partly_in_every_format(result):
    partly = [b for b, line in result.behaviours.items() if line.verdict == "partly"]
    assert "closes_with_support" in partly
    header = ReportHeader(7, "ana", WHEN, WHEN, CallStatus.FINISHED)
    markdown = report_markdown(result, header)
    plain = format_debrief(result)
    views = {view.behaviour: view for _, group in sections(result) for view in group}
    for behaviour in partly:
        name = behaviour.replace("_", " ")
        assert views[behaviour].verdict == "partly"
        assert f"**{name}** (partly," in markdown
        assert any(line.startswith(f" ~ {name} ") and " partly " in line for line in plain.splitlines())


def test_replies_are_numbered_by_the_reps_replies_not_the_transcript(result):
    plain = format_debrief(result)
    assert "reply 4:" in plain  # the thank-you is the 4th reply, the 8th line of the transcript
    assert "reply 8" not in plain and "reply 7" not in plain
    assert [turn.reply for turn in result.seller_turns] == [1, 2, 3, 4]
    assert format_transcript(result).count("You:") == 4


def test_the_result_is_its_own_json_and_reads_back_unchanged(result):
    again = CallResult.model_validate(result.to_json())
    assert again == result
    assert set(result.to_json()) >= {
        "scenario", "persona", "seed", "score", "grade", "passed", "pass_mark", "outcome", "ended_by", "choices",
        "behaviours", "transcript",
    }


def test_each_line_says_what_it_could_earn_and_what_it_lost(result):
    lines = result.behaviours
    assert sum(line.available for line in lines.values()) == pytest.approx(100, abs=0.1)
    news = lines["states_the_news"]
    assert news.hit and news.lost == pytest.approx(0, abs=0.01)
    forgive = lines["asks_forgiveness"]
    assert not forgive.hit and forgive.lost == forgive.available > 0
    assert all(line.lost == 0 for line in lines.values() if not line.good and not line.hit)


def test_why_a_penalty_costs_is_said_without_its_source_for_the_rep_and_with_it_for_the_trainer(library):
    """"why it costs: ... don't throw anyone under the bus (seeds 001, 002, 004)" showed the doctrine's file numbers."""
    call = play_script(library.scenario("late-shipment"), library.persona("calm"),
                       ["Dana, PO 4471 is late because the carrier messed up.", ""])
    result = call_result(call)
    rep, trainer = format_debrief(result), format_debrief(result, details=True)
    costs = [line for line in rep.splitlines() if "why it costs:" in line]
    assert costs and not any("seed" in line for line in costs), costs
    assert any("seed" in line for line in trainer.splitlines() if "why it costs:" in line)
