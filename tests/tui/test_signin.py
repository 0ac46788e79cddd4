"""A served class starts on a sign-in screen: each rep is one name in one tab, sees only their own calls, and finds
a call cut off by a closed tab or a dead server waiting to be resumed."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from simulator.paths import GROUP_ENV
from simulator.records.store import open_store
from simulator.tui.app import BadNewsApp, make_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.signin import (
    CODE_WRONG,
    NAME_MISSING,
    PAUSE_FILE,
    Seat,
    SignIn,
    SignInScreen,
    cleaned,
    digest,
    lock_path,
    pause_after_wrong_code,
)
from tests.playing import play_into
from tests.tui.drive import (
    GOOD_CALL,
    GOOD_CHOICES,
    answer_choices,
    finish_work,
    open_briefing,
    say,
    screen_text,
    start_call,
    wait_for_screen,
)

SIZE = (100, 30)
CODE = "blue-falcon-42"
REP = "Ana Lima"


@pytest.fixture
def sessions(tmp_path) -> Path:
    """The folder where signed-in names are held, one lock file each."""
    return tmp_path / "sessions"


def served(library, sessions: Path, *, group: str = "monday-class", code: str | None = None) -> BadNewsApp:
    """The app as `badnews serve-session` builds it for one browser tab."""
    sign_in = SignIn(group=group, code_digest=digest(code) if code is not None else None, sessions_dir=sessions)
    return make_app(library, pace=False, clock=lambda: 0.0, sign_in=sign_in)


async def fill_in(pilot, name: str, *, group: str | None = None, code: str | None = None) -> None:
    """Type the form's fields (those given) and press Enter, then let the app settle."""
    screen = pilot.app.screen
    assert isinstance(screen, SignInScreen)
    screen.query_one("#name", Input).value = name
    if group is not None:
        screen.query_one("#group", Input).value = group
    if code is not None:
        screen.query_one("#code", Input).value = code
    await pilot.press("enter")
    await finish_work(pilot)


async def sign_in(pilot, name: str = REP, **fields: str) -> HomeScreen:
    """Sign in and be on the home screen."""
    await fill_in(pilot, name, **fields)
    return await wait_for_screen(pilot, HomeScreen)


def problem(screen, field: str) -> str:
    """What the screen says under a field ("" when nothing)."""
    shown = screen.query_one(f"#{field}-problem")
    return str(shown.render()) if shown.display else ""


def stored_calls(data_dir: Path):
    with open_store(data_dir) as store:
        return store.calls()


def notified(app, text: str) -> bool:
    return any(text in notification.message for notification in app._notifications)


# --- the form -------------------------------------------------------------------------------
async def test_a_rep_types_their_name_presses_enter_and_is_on_home_with_their_name_in_the_header(library, sessions):
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, SignInScreen)
        assert screen.query_one("#group", Input).value == "monday-class"  # pre-filled
        assert not screen.query("#code")  # no join code in this room: none asked
        await pilot.press(*"Ana", "space", *"Lima", "enter")  # typed, as a rep does
        home = await wait_for_screen(pilot, HomeScreen)
        assert app.screen_stack == [home]  # nothing to go back to: the name cannot be changed from here
        assert "Ana Lima \u00b7 monday-class" in screen_text(home)
        await pilot.press("h")
        assert isinstance(await wait_for_screen(pilot, HistoryScreen), HistoryScreen)


async def test_an_empty_name_is_refused_under_the_field_and_the_rep_stays(library, sessions):
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await fill_in(pilot, "   ")
        screen = await wait_for_screen(pilot, SignInScreen)
        assert problem(screen, "name") == NAME_MISSING
        assert app.focused is screen.query_one("#name")
        assert not sessions.exists()  # no name was taken
        await fill_in(pilot, REP)
        await wait_for_screen(pilot, HomeScreen)


async def test_a_wrong_join_code_is_refused_with_the_name_kept_then_the_right_one_lets_the_rep_in(
    library, sessions, data_dir
):
    app = served(library, sessions, code=CODE)
    async with app.run_test(size=SIZE) as pilot:
        await fill_in(pilot, REP, code="blue-falcon-41")
        screen = await wait_for_screen(pilot, SignInScreen)
        assert problem(screen, "code") == CODE_WRONG
        assert screen.query_one("#name", Input).value == REP  # kept
        code = screen.query_one("#code", Input)
        assert code.value == "" and code.password and app.focused is code
        assert not list(sessions.glob("*.lock"))  # nothing else happened: no name held, no store opened
        assert not data_dir.exists()
        code.value = CODE
        await pilot.press("enter")
        await wait_for_screen(pilot, HomeScreen)


async def test_a_missing_join_code_is_asked_for(library, sessions):
    app = served(library, sessions, code=CODE)
    async with app.run_test(size=SIZE) as pilot:
        await fill_in(pilot, REP)
        screen = await wait_for_screen(pilot, SignInScreen)
        assert "join code" in problem(screen, "code")


async def test_a_name_signed_in_in_another_tab_is_refused_whatever_its_letter_case(library, sessions):
    sessions.mkdir()
    with open(lock_path(sessions, REP), "w") as other_tab:  # another app process holds the name
        fcntl.flock(other_tab, fcntl.LOCK_EX | fcntl.LOCK_NB)
        app = served(library, sessions)
        async with app.run_test(size=SIZE) as pilot:
            await fill_in(pilot, "ANA LIMA")
            screen = await wait_for_screen(pilot, SignInScreen)
            assert problem(screen, "name") == (
                "ANA LIMA is already signed in in another tab or browser. Close it there, or use another name."
            )
            await sign_in(pilot, "Ana Lima 2")  # another name is free


async def test_the_name_is_held_while_the_app_runs_and_let_go_when_it_ends(library, sessions):
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        with open(lock_path(sessions, REP), "a") as probe, pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    again = served(library, sessions)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot)


async def test_markup_in_a_name_is_shown_as_typed_never_obeyed(library, sessions, data_dir):
    sessions.mkdir()
    name = "[bold]x[/]"
    with open(lock_path(sessions, name), "w") as other_tab:
        fcntl.flock(other_tab, fcntl.LOCK_EX | fcntl.LOCK_NB)
        app = served(library, sessions)
        async with app.run_test(size=SIZE) as pilot:
            await fill_in(pilot, name)
            screen = await wait_for_screen(pilot, SignInScreen)
            assert problem(screen, "name").startswith("[bold]x[/] is already signed in")
            assert "[bold]x[/] is already signed in" in screen_text(screen)
    app = served(library, sessions, group="[red]room[/]")
    async with app.run_test(size=SIZE) as pilot:
        home = await sign_in(pilot, name)
        assert "[bold]x[/] \u00b7 [red]room[/]" in screen_text(home)
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, GOOD_CALL[0])  # a call left before a word was said is not kept
    (record,) = stored_calls(data_dir)
    assert (record.trainee, record.group) == (name, "[red]room[/]")


async def test_control_characters_in_a_name_are_kept_as_they_are_shown(library, sessions):
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, SignInScreen)
        field = screen.query_one("#name", Input)
        field.focus()
        await pilot.pause()
        field.post_message(events.Paste("Ana\x1b[31m Lima\x07\nsecond line"))
        await pilot.pause()
        assert field.value == "Ana\\x1b[31m Lima\\x07"  # the escape sequence is shown, never sent to the terminal
        await pilot.press("enter")
        await wait_for_screen(pilot, HomeScreen)
        assert app.keeper.trainee == "Ana\\x1b[31m Lima\\x07"
    assert cleaned("  Ana \t\x1b  Lima ") == "Ana \\x1b Lima"


# --- the calls: the rep's own, in their group --------------------------------------------------
async def test_a_call_after_sign_in_is_kept_under_the_reps_name_and_the_group_they_typed(
    library, sessions, data_dir, monkeypatch
):
    monkeypatch.setenv(GROUP_ENV, "the-servers-group")  # the group field wins over the command line's
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, f"  {REP}  ", group=" tuesday  class ")
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
    (record,) = stored_calls(data_dir)
    assert (record.trainee, record.group) == (REP, "tuesday class")
    assert [r.text for r in record.replies] == [GOOD_CALL[0]]


async def test_history_lists_only_the_reps_own_calls_and_nothing_opens_anothers(library, sessions, data_dir):
    with open_store(data_dir) as store:
        mine = play_into(store, library, GOOD_CALL[:2], trainee=REP, end=False, abandon=True)
        theirs = play_into(store, library, GOOD_CALL[:3], trainee="Bo Chen", end=False)
        other_record = store.get(theirs.call_id)
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert history.loaded
        assert [record.id for record in history.summary.calls] == [mine.call_id]
        keeper = app.keeper
        assert keeper.stored(theirs.call_id).result() is None
        assert keeper.stored(mine.call_id).result() is not None
        with pytest.raises(Exception, match="not one of your calls"):
            keeper.resume(other_record, library).result()


# --- a call cut off ------------------------------------------------------------------------------
async def test_a_closed_tab_keeps_the_call_abandoned_and_signing_in_again_resumes_it(library, sessions, data_dir):
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_briefing(pilot, "late-shipment")
        await answer_choices(pilot, GOOD_CHOICES)
        await start_call(pilot)
        await say(pilot, GOOD_CALL[0])
        app.exit()  # what textual-serve's "quit" meta packet does when the tab closes
    (record,) = stored_calls(data_dir)
    assert record.status == "abandoned" and record.resumable
    assert [r.text for r in record.replies] == [GOOD_CALL[0]] and record.trainee == REP

    again = served(library, sessions)
    async with again.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert notified(again, "You have an unfinished call")
        await resume_the_only_call(pilot, record.id, [GOOD_CALL[0]])
        await say(pilot, GOOD_CALL[1])
    (resumed,) = stored_calls(data_dir)
    assert resumed.id == record.id and [r.text for r in resumed.replies] == GOOD_CALL[:2]


async def test_a_call_cut_off_by_a_killed_server_is_resumed_at_the_next_sign_in(library, sessions, data_dir):
    # Killed hard, the server writes nothing more: the call stays in progress as of its last reply.
    with open_store(data_dir) as store:
        cut_off = play_into(store, library, GOOD_CALL[:2], trainee=REP, end=False, choices=GOOD_CHOICES)
        assert store.get(cut_off.call_id).status == "in_progress"
    app = served(library, sessions)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert notified(app, "You have an unfinished call")
        await resume_the_only_call(pilot, cut_off.call_id, GOOD_CALL[:2])
        await say(pilot, GOOD_CALL[2])
    (resumed,) = stored_calls(data_dir)
    assert resumed.id == cut_off.call_id and len(resumed.replies) == 3


async def resume_the_only_call(pilot, call_id: int, replies: list[str]) -> CallScreen:
    """Open History, check the one call listed is this one, press r and be back in it."""
    await pilot.press("h")
    history = await wait_for_screen(pilot, HistoryScreen)
    assert history.loaded and [record.id for record in history.summary.calls] == [call_id]
    await pilot.press("r")
    screen = await wait_for_screen(pilot, CallScreen)
    assert [turn.text for turn in screen.call.seller_turns] == list(replies)
    return screen


# --- the parts --------------------------------------------------------------------------------
def test_the_join_code_digest_is_sha256_hex():
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_a_lock_file_name_is_safe_whatever_the_name(tmp_path):
    for name in ("../../etc/passwd", "Ana/Lima", "\u00c5sa \u00d6berg", "\u674e\u96f7", ".", "a" * 200):
        path = lock_path(tmp_path, name)
        assert path.parent == tmp_path and path.suffix == ".lock" and "/" not in path.name
        assert len(path.name) < 64
    assert lock_path(tmp_path, "Ana Lima") == lock_path(tmp_path, "ANA LIMA")
    assert lock_path(tmp_path, "Ana Lima") != lock_path(tmp_path, "Ana Lima 2")


def test_a_seat_holds_its_name_until_released(tmp_path):
    seat = Seat.take(tmp_path, REP)
    try:
        assert seat.held and seat.path is not None
        fd = os.open(seat.path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seat.release()
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free now
        finally:
            os.close(fd)
    finally:
        seat.release()
    assert not seat.held


def test_wrong_join_codes_typed_in_many_tabs_at_once_take_their_turn(tmp_path, monkeypatch):
    """Each tab is a process: guessing the code in ten tabs at once must be no quicker than in one."""
    import threading
    import time

    from simulator.tui import signin

    real_sleep, guard = time.sleep, threading.Lock()
    waiting = {"now": 0, "most": 0, "turns": 0}

    def pause(seconds: float) -> None:
        with guard:
            waiting["now"] += 1
            waiting["most"] = max(waiting["most"], waiting["now"])
        real_sleep(0.05)
        with guard:
            waiting["now"] -= 1
            waiting["turns"] += 1

    monkeypatch.setattr(signin.time, "sleep", pause)
    tabs = [threading.Thread(target=pause_after_wrong_code, args=(tmp_path / "sessions",)) for _ in range(6)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert waiting["turns"] == 6 and waiting["most"] == 1
    assert (tmp_path / "sessions" / PAUSE_FILE).exists()
