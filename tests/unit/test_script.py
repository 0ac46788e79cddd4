"""Scripted calls: the one path that replay, examples, rescoring, resuming and calibration share."""

from __future__ import annotations

from simulator.engine.script import as_reply, play_script, unknown_choice
from tests.fakes import TableDetector

TABLE = {"news": ["states_the_news"], "small talk": ["stalls"]}


def test_dots_and_blank_lines_are_silence_and_long_lines_are_clipped():
    assert as_reply("...") == "" and as_reply(" … ") == "" and as_reply("") == ""
    assert as_reply("ok") == "ok"
    assert len(as_reply("x" * 50_000)) < 50_000


def test_a_script_is_played_until_it_runs_out_and_the_call_is_stopped(library):
    call = play_script(library.scenario("late-shipment"), library.persona("calm"), ["news", "..."],
                       detector=TableDetector(TABLE))
    assert call.over and call.ended_by == "script ended"
    assert [t.silent for t in call.seller_turns] == [False, True]


def test_replies_after_the_buyer_hangs_up_are_not_played(library):
    call = play_script(library.scenario("late-shipment"), library.persona("angry"), ["small talk"] * 10,
                       detector=TableDetector(TABLE))
    assert call.ended_by == "buyer hung up"
    assert len(call.seller_turns) < 10


def test_talked_over_flags_are_kept_and_a_call_can_be_left_open(library):
    call = play_script(library.scenario("late-shipment"), library.persona("angry"), [("news", False), ("ok", True)],
                       detector=TableDetector(TABLE), stop_reason=None)
    assert not call.over
    assert call.seller_turns[1].interrupted


def test_unknown_choices_are_named(library):
    scenario = library.scenario("late-shipment")
    assert unknown_choice(scenario, {"tell_them_first": "call-now"}) is None
    assert unknown_choice(scenario, {"tell_them_first": "never"}) == "tell_them_first=never"
    assert unknown_choice(scenario, {"nope": "x"}) == "nope=x"
