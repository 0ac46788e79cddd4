"""A report shows a stored call as the trainee was told it: transcript with the rubric beside it, evidence, mood, tips."""

from __future__ import annotations

import dataclasses

from simulator.render.report import mood_series, record_markdown, report_json, tips

from .conftest import BLAMING_REPLIES, GOOD_REPLIES, play_into


def test_the_markdown_report_puts_each_reply_beside_the_behaviours_it_showed(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES).call_id)
    text = record_markdown(record)
    assert text.startswith("# Bad News Drill: Typhoon in Osaka")
    assert f"**Score {record.score}/100, grade {record.grade}, passed**" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "You (reply" in line]
    assert len(rows) == len(GOOD_REPLIES)
    assert "+ states_the_news" in rows[0] and "+ offers_options" in rows[3]
    assert "*(silence)*" in rows[1]


def test_the_markdown_report_quotes_the_evidence_and_charts_the_mood(store, library):
    record = store.get(play_into(store, library, BLAMING_REPLIES).call_id)
    text = record_markdown(record)
    assert "- **blames others** (penalty, " in text
    assert "  - reply 2: “" in text
    assert ".yaml:" not in text and "strength" not in text, "the phrase language never reaches a rep's report"
    detailed = record_markdown(record, details=True)
    assert "- **blames\\_others** (penalty, " in detailed and ".yaml:" in detailed
    assert "## The buyer's mood over the call" in text and "    temperature " in text
    assert "| opening |" in text and "| reply 2 |" in text


def test_tips_are_the_costliest_lines_first_each_with_a_better_way(store, library):
    record = store.get(play_into(store, library, BLAMING_REPLIES).call_id)
    found = tips(record.result)
    assert 1 <= len(found) <= 5
    assert [t["points_lost"] for t in found] == sorted((t["points_lost"] for t in found), reverse=True)
    blame = next(t for t in found if t["behaviour"] == "blames_others")
    assert blame["what"] == "committed" and blame["try"]
    assert "## What to change first" in record_markdown(record)


def test_a_call_in_progress_reports_its_score_so_far(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES[:2], end=False).call_id)
    text = record_markdown(record)
    assert "**Score so far " in text and "Status: in progress, 2 replies" in text


def test_the_trainees_words_cannot_break_the_markdown_or_the_terminal(store, library):
    hostile = "Dana | the [link](http://evil) **bold** \x1b[2J\u202e"
    record = store.get(play_into(store, library, [hostile]).call_id)
    text = record_markdown(record)
    row = next(line for line in text.splitlines() if "You (reply 1)" in line)
    assert row.count(" | ") == 4  # five cells: the reply's own '|' is escaped
    assert "\\[link\\]" in text and "\\*\\*bold\\*\\*" in text
    assert "\x1b" not in text and "\u202e" not in text


def test_a_call_saved_without_a_debrief_still_gives_a_report(store, library):
    record = dataclasses.replace(store.get(play_into(store, library, GOOD_REPLIES[:1]).call_id), snapshot=None)
    assert "No debrief was saved" in record_markdown(record)
    assert report_json(record)["tips"] == [] and report_json(record)["mood"] == []


def test_the_json_report_holds_the_call_its_saved_debrief_the_mood_and_the_tips(store, library):
    record = store.get(play_into(store, library, GOOD_REPLIES).call_id)
    data = report_json(record)
    assert set(data) == {"call", "debrief", "mood", "tips"}
    assert data["debrief"] == record.snapshot
    assert data["call"]["id"] == record.id and data["call"]["seed"] == record.seed
    assert len(data["mood"]) == len(GOOD_REPLIES) + 1 == len(mood_series(record.result))
    assert data["mood"][0]["after"] == "opening" and data["mood"][-1]["after"] == f"reply {len(GOOD_REPLIES)}"
