"""A class in a real browser: headless Chromium signs in to `badnews serve`, plays calls, and the store keeps them right.

Each test starts its own server over a folder of its own and drives Debian's chromium through Playwright as a rep
would: keys typed into the page, the terminal's text read back (see conftest.py). What a test checks at the end is
read from the calls database the server's apps wrote, the way the trainer's board reads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pytest

from simulator.content.placeholders import fill, placeholder_values
from simulator.records.store import CallRecord, open_store
from simulator.status import CallStatus
from tests.serve.conftest import STEP_SECONDS, BrowserRep, ServedClass, together

GROUP = "monday-class"
SCENARIO = "late-shipment"
NEWS = "Dana, I have bad news: PO 4471 will not arrive on 3 March."
CAUSE = "A typhoon closed the port of Osaka, and the full order now arrives on 24 March."
REPS_AT_ONCE = 10


@dataclass(frozen=True)
class Drill:
    """The scenario a test plays, as the app shows it: its row on home, its title, its before-call questions."""

    row: int
    title: str
    prompts: list[str]


@pytest.fixture
def drill(library) -> Drill:
    """The late shipment, as the served app shows it."""
    scenario = library.scenario(SCENARIO)
    values = placeholder_values(scenario)
    prompts = [fill(choice.prompt, values) for choice in scenario.choices.values()]
    return Drill(list(library.scenarios).index(SCENARIO), scenario.title, prompts)


def calls_of(served: ServedClass, name: str | None = None) -> list[CallRecord]:
    """The calls the served apps kept (one rep's, or all), read from the class's database."""
    with open_store(served.data_dir, read_only=True) as store:
        return [store.get(record.id) for record in store.calls(name)]


def rep_at(context, served: ServedClass, name: str, shots: Path) -> BrowserRep:
    """A new tab on the served page, for the rep `name`."""
    return BrowserRep(context.new_page(), served.url, name, shots)


def signed_in_rep(context, served: ServedClass, name: str, shots: Path) -> BrowserRep:
    """A new tab on the served page, signed in as `name` (no join code) and at home."""
    rep = rep_at(context, served, name, shots).open()
    rep.sign_in()
    rep.signed_in()
    return rep


def into_the_call(rep: BrowserRep, drill: Drill) -> None:
    """From home: the scenario's briefing, its questions answered, the buyer on the line."""
    rep.play(rep.into_call(drill.row, drill.title, drill.prompts))


def test_a_rep_signs_in_plays_a_call_and_sees_the_debrief(served_class, browser_context, browser_artifacts, drill):
    served = served_class("--group", GROUP)
    rep = rep_at(browser_context, served, "Ada Lovelace", browser_artifacts).open()
    rep.screenshot("01-sign-in")
    rep.sign_in()
    home = rep.signed_in()
    assert GROUP in home
    into_the_call(rep, drill)
    rep.say(NEWS)
    rep.screenshot("02-call")
    debrief = rep.hang_up()
    rep.screenshot("03-debrief")

    assert "Score" in debrief and "Outcome" in debrief
    (call,) = calls_of(served, "Ada Lovelace")
    assert (call.trainee, call.group, call.scenario) == ("Ada Lovelace", GROUP, SCENARIO)
    assert [reply.text for reply in call.replies] == [NEWS]
    assert call.ended and call.score is not None
    team = subprocess.run([sys.executable, "-m", "simulator", "--data-dir", str(served.data_dir), "team", "--json"],
                          capture_output=True, text=True, check=True, timeout=120)
    (listed,) = json.loads(team.stdout)["calls"]
    assert (listed["trainee"], listed["group"], listed["scenario"]) == ("Ada Lovelace", GROUP, SCENARIO)


@pytest.mark.heavy
def test_ten_reps_at_once_each_call_is_kept_under_its_own_name(served_class, browser_context, browser_artifacts, drill):
    served = served_class("--group", GROUP)
    reps = [rep_at(browser_context, served, f"Rep {n:02d}", browser_artifacts) for n in range(1, REPS_AT_ONCE + 1)]
    replies = {rep.name: f"Dana, it's {rep.name}: PO 4471 will not arrive on 3 March." for rep in reps}
    # Each rep goes on as soon as their own tab shows what they wait for: the ten apps work at the same time.
    together(*(chain(rep.opening(), rep.signing_in(), rep.reaching_home(),
                     rep.into_call(drill.row, drill.title, drill.prompts), rep.saying(replies[rep.name]))
               for rep in reps))
    reps[-1].screenshot("04-tenth-rep")

    kept = calls_of(served)
    assert sorted(call.trainee for call in kept) == sorted(replies)
    for call in kept:
        assert [reply.text for reply in call.replies] == [replies[call.trainee]], call.trainee
        assert call.group == GROUP and call.status is CallStatus.IN_PROGRESS


def test_a_wrong_join_code_keeps_the_rep_on_the_sign_in_screen(served_class, browser_context, browser_artifacts):
    served = served_class("--code", "4471-osaka")
    rep = rep_at(browser_context, served, "Grace Hopper", browser_artifacts).open()
    rep.sign_in(code="4471-kobe")
    refused = rep.wait_for("Not the room's join code", "the wrong code said")
    rep.screenshot("05-wrong-code")
    assert "Your name" in refused and "Pick a call" not in refused

    rep.type("4471-osaka")  # into the code field, emptied, where the cursor went
    rep.press("Enter")
    rep.signed_in()


def test_a_second_tab_with_the_same_name_is_refused(served_class, browser_context, browser_artifacts):
    served = served_class()
    signed_in_rep(browser_context, served, "Alan Turing", browser_artifacts)
    second = rep_at(browser_context, served, "Alan Turing", browser_artifacts).open()
    second.sign_in()
    refused = second.wait_for("already signed in", "the name refused")
    second.screenshot("06-same-name")
    assert "Your name" in refused and "Pick a call" not in refused

    signed_in_rep(browser_context, served, "Alan Turing II", browser_artifacts)


def test_a_tab_closed_mid_call_keeps_the_call_and_the_rep_resumes_it(served_class, browser_context, browser_artifacts,
                                                                       drill):
    served = served_class("--group", GROUP)
    rep = signed_in_rep(browser_context, served, "Katherine Johnson", browser_artifacts)
    into_the_call(rep, drill)
    rep.say(NEWS)
    rep.close()
    wait_until_no_sessions(served)

    (call,) = calls_of(served, "Katherine Johnson")
    assert call.status is CallStatus.ABANDONED and [r.text for r in call.replies] == [NEWS]

    again = signed_in_rep(browser_context, served, "Katherine Johnson", browser_artifacts)
    resumed = again.resume_last_call()
    assert NEWS[:40] in resumed
    again.say(CAUSE)
    again.screenshot("07-resumed-after-closed-tab")
    (call,) = calls_of(served, "Katherine Johnson")
    assert [r.text for r in call.replies] == [NEWS, CAUSE] and call.group == GROUP


@pytest.mark.heavy
def test_a_server_restarted_mid_call_keeps_the_call_and_the_rep_resumes_it(served_class, browser_context,
                                                                           browser_artifacts, drill):
    served = served_class("--group", GROUP)
    rep = signed_in_rep(browser_context, served, "Dorothy Vaughan", browser_artifacts)
    into_the_call(rep, drill)
    rep.say(NEWS)
    pids = served.session_pids()
    assert pids, "the rep's app is not a process of the server"

    assert served.stop() == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids), "an app outlived the server"
    (call,) = calls_of(served, "Dorothy Vaughan")
    assert call.status.resumable and [r.text for r in call.replies] == [NEWS]

    served.start()
    rep.close()
    again = signed_in_rep(browser_context, served, "Dorothy Vaughan", browser_artifacts)
    again.resume_last_call()
    again.say(CAUSE)
    again.screenshot("08-resumed-after-restart")
    (call,) = calls_of(served, "Dorothy Vaughan")
    assert [r.text for r in call.replies] == [NEWS, CAUSE]


def wait_until_no_sessions(served: ServedClass) -> None:
    """Wait until the server has no app process left (a closed tab's app has saved and ended)."""
    deadline = time.monotonic() + STEP_SECONDS
    while served.session_pids():
        assert time.monotonic() < deadline, f"the apps of closed tabs are still running: {served.session_pids()}"
        time.sleep(0.2)
