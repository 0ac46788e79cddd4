"""The Markdown report: harmless quotes of the trainee's words, every rubric line, and no overwriting."""

from __future__ import annotations

from datetime import datetime

from simulator.engine.call import Call
from simulator.render.report import ReportHeader, md_escape, report_markdown
from simulator.scoring import call_result
from simulator.status import CallStatus, Mode
from simulator.tui.report import report_filename, save_targets, write_report
from tests.tui.drive import BAD_CALL, GOOD_CHOICES

NOW = datetime(2026, 3, 3, 9, 30, 0)


def played(library, replies) -> Call:
    call = Call(library.scenario("late-shipment"), library.persona("calm"), choices=dict(GOOD_CHOICES))
    call.open()
    for reply in replies:
        if not call.over:
            call.reply(reply)
    call.stop("script ended")
    return call


def test_markdown_characters_and_escape_sequences_in_user_words_are_neutralised():
    assert md_escape("[click](http://x) *bold* <b>") == r"\[click\](http://x) \*bold\* \<b\>"
    assert md_escape("\x1b[31mred") == r"\\x1b\[31mred"


def test_the_report_has_the_verdict_every_scored_line_and_the_transcript(library):
    call = played(library, BAD_CALL)
    report = call_result(call, mode=Mode.EXAM)
    text = report_markdown(report, ReportHeader(None, "ana", NOW.astimezone(), NOW.astimezone(), CallStatus.FINISHED))
    assert f"Score {report.score}/100, grade {report.grade}, not passed" in text
    for behaviour, line in report.behaviours.items():
        if line.weight or line.hit:
            assert f"**{behaviour.replace('_', ' ')}**" in text
    assert "-0.0" not in text
    assert md_escape(BAD_CALL[0]) in text
    assert "| after | temperature | trust | band |" in text and "| reply 1 |" in text
    assert "exam mode" in text


def test_a_second_report_in_the_same_second_does_not_overwrite_the_first(tmp_path, library):
    call = played(library, BAD_CALL[:1])
    name = report_filename(call.scenario.id or "", NOW)
    first = write_report("one", tmp_path, name)
    second = write_report("two", tmp_path, name)
    assert first != second
    assert first.read_text() == "one" and second.read_text() == "two"
    assert name == "badnews-late-shipment-20260303-093000.md"


def test_reports_go_to_the_current_folder_or_the_documents_folder(tmp_path):
    here, documents = save_targets(tmp_path)
    assert here.folder == tmp_path.resolve()
    assert documents.label == "Documents" and documents.folder.is_absolute()
