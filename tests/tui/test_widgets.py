"""The small parts: speech pacing, coaching notes, meter words and chart cells."""

from __future__ import annotations

from simulator.engine.call import Call
from simulator.tui.screens.call import (
    MAX_SPEECH_SECONDS,
    MIN_SPEECH_SECONDS,
    PROCESSING_PAUSE_SECONDS,
    speech_seconds,
)
from simulator.tui.widgets.chart import CHART_ROWS, bar_cell
from simulator.tui.widgets.coach import coaching_note, quote
from simulator.tui.widgets.meters import TemperatureGauge, TrustBar
from tests.tui.drive import GOOD_CALL


def test_a_line_takes_longer_to_say_the_longer_it_is_within_bounds():
    assert speech_seconds("Okay.") == MIN_SPEECH_SECONDS
    assert speech_seconds("x" * 10_000) == MAX_SPEECH_SECONDS
    assert MIN_SPEECH_SECONDS < speech_seconds("x" * 60) < MAX_SPEECH_SECONDS


def test_a_buyer_taking_the_apology_in_pauses_first():
    assert speech_seconds("... Okay.") == MIN_SPEECH_SECONDS + PROCESSING_PAUSE_SECONDS


def coached(library, replies, interrupted_last=False) -> str:
    call = Call(library.scenario("late-shipment"), library.persona("calm"))
    call.open()
    for reply in replies[:-1]:
        call.reply(reply)
    call.reply(replies[-1], interrupted=interrupted_last)
    previous = call.seller_turns[-2] if len(call.seller_turns) >= 2 else None
    return coaching_note(call.seller_turns[-1], "Dana", previous).plain


def test_coaching_names_each_behaviour_with_the_trainees_words(library):
    note = coached(library, [GOOD_CALL[0]])
    # the words quoted are the rep's, and the clause that carries the news, not the "I have bad news" before it
    quoted = note.split("states the news: \u201c", 1)[1].split("\u201d", 1)[0]
    assert quoted and quoted in GOOD_CALL[0] and quoted != "I have bad news"


def test_coaching_praises_silence_while_the_buyer_vents(library):
    assert "you let them finish" in coached(library, [GOOD_CALL[0], ""])


def test_coaching_praises_silence_after_an_apology(library):
    note = coached(library, [GOOD_CALL[0], "", "I'm sorry. Will you forgive me?", ""])
    assert "Silence after your apology" in note


def test_coaching_flags_talking_over_a_vent(library):
    assert "While Dana vented, you cut in before they had finished" in coached(library, [GOOD_CALL[0], "Let me explain."], interrupted_last=True)


def test_coaching_says_so_when_nothing_matched(library):
    assert "Nothing in that reply matched" in coached(library, ["Purple elephants."])


def test_quotes_are_cut_and_made_harmless():
    assert quote("a\x1b[31m" + "b" * 100, limit=10) == "a\\x1b[31m\u2026"


def test_temperature_reads_as_mood_bands_and_trust_as_words():
    assert TemperatureGauge().level(10) == ("calm", "good")
    assert TemperatureGauge().level(90) == ("furious", "bad")
    assert TrustBar().level(10) == ("low", "bad")
    assert TrustBar().level(75) == ("high", "good")
    assert TrustBar.RISING_IS_GOOD and not TemperatureGauge.RISING_IS_GOOD


def test_chart_cells_fill_from_the_bottom_in_eighths():
    assert bar_cell(100, CHART_ROWS - 1) == "\u2588"
    assert bar_cell(0, 0) == " "
    assert bar_cell(50, 0) == "\u2588" and bar_cell(50, CHART_ROWS - 1) == " "


def test_coaching_says_to_stay_silent_now_when_an_apology_ends_the_reply(library):
    """Three play-testers never sent the silence after "Will you forgive me?": she answers at once in text."""
    assert "Now stay silent" in coached(library, [GOOD_CALL[0], "", "I'm sorry, Dana. Will you forgive me?"])
    assert "Now stay silent" not in coached(library, [GOOD_CALL[0], "", "I'm sorry. The new date is 24 March."])
    # Before the news, a silence only keeps her waiting (a play-tester was told to hush after a stall).
    assert "Now stay silent" not in coached(library, ["Hi Dana, how was the trade show? Really sorry to hear about it."])
    assert "Now stay silent" not in coached(library, ["Dana, it's about your order. I'm so sorry."])


def test_coaching_says_why_a_behaviour_costs_without_the_doctrines_source_numbers(library):
    note = coached(library, [GOOD_CALL[0], "", "Honestly, the carrier messed this up, not us."])
    assert "blames others" in note and "seed" not in note


def test_coaching_says_when_a_reply_left_her_question_unanswered(library):
    note = coached(library, [GOOD_CALL[0], "", "", "", "We value Larkspur as a customer.", "We really do value you."])
    assert "You left Dana's question unanswered" in note
    assert "unanswered" not in coached(library, [GOOD_CALL[0], "", ""])
