"""`hamstring-coach chat`: whole conversations typed into the console, heard through the
interaction model and answered in process by the real skill on a real (SQLite) database."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plans.codes import CODE_LIFETIME
from plans.state import state_store_for
from rehab.questions import question
from skill.build import build_skill
from skill.console import card_text, run_console, speech_text

SECRET_KEY = "console-test-secret-key-0123456789-abcdefghij"
BASE_URL = "https://coach.example"
RUNNER = "amzn1.ask.account.CONSOLERUNNER"
REPO = Path(__file__).resolve().parents[2]

# Gradual back-of-thigh pain, tests clear but one not tried, 2/10, more speed work lately.
TIGHT_HAMSTRINGS = [
    "",  # Enter: "Alexa, open hamstring coach"
    "the back of my thigh",
    "no",  # numbness or tingling
    "gradually",
    "ten days ago",
    "no",  # bruising
    "no",  # limping
    "no",  # pain walking
    "how do I do the test",
    "no",  # shoe test
    "no",  # hinge test
    "I didn't try it",  # heel press
    "two out of ten",
    "yes",  # training change
    "monday wednesday and friday",
    "seven a.m.",
]


@pytest.fixture
def plan_store(database_url):
    from plans.store import PlanStore

    store = PlanStore(database_url, SECRET_KEY)
    yield store
    store.close()


@pytest.fixture
def coach(plan_store, database_url, clock):
    return build_skill(store_factory=lambda: plan_store,
                       state_store=state_store_for(database_url, ensure_schema=plan_store.migrate),
                       timezone_lookup=lambda _handler_input: "Europe/London", clock=clock,
                       secret_key=SECRET_KEY, base_url=BASE_URL)


@pytest.fixture
def chat(coach, clock):
    def run(lines: list[str], *, locale: str = "en-US", end_with_newline: bool = True) -> tuple[int, str]:
        out = io.StringIO()
        typed = "\n".join(lines) + ("\n" if end_with_newline else "")
        code = run_console(io.StringIO(typed), out, skill=coach, locale=locale, user_id=RUNNER,
                           timezone="Europe/London", clock=clock)
        return code, out.getvalue()

    return run


def alexa_lines(transcript: str) -> list[str]:
    return [line.removeprefix("Alexa: ") for line in transcript.splitlines() if line.startswith("Alexa: ")]


def test_a_whole_typed_conversation_ends_with_the_outcome_the_spoken_code_and_the_card(chat):
    # Then: "Shall I read you the code?" yes; "Want me to repeat it?" yes, and no; no reminders.
    code, transcript = chat([*TIGHT_HAMSTRINGS, "yes", "yes", "no", "no"])

    assert code == 0
    assert transcript.rstrip().endswith("(session ended)")
    plan_code = re.search(r"Plan code: ([A-Z0-9 ]+) \(", transcript).group(1).replace(" ", "")
    said, repeated, offer, goodbye = alexa_lines(transcript)[-4:]
    first = plan_code[0]
    assert said.startswith("Your code is:") and said.endswith("Want me to repeat it?")
    assert (f"is: {first}," if first.isdigit() else f"is: {first} for ") in said, said
    assert " ".join(plan_code) in repeated, "asked again, the code is spelled out, one character at a time"
    assert "Alexa app" in offer and "Shall I set that reminder?" in offer
    assert "set up my reminders" in goodbye
    assert "most likely tight hamstrings" in " ".join(alexa_lines(transcript)).lower()
    assert "[Card] " in transcript and f"{BASE_URL}/plans/" in transcript


def test_typed_words_reach_the_skill_as_the_answers_the_runner_meant(chat, plan_store):
    _, transcript = chat(TIGHT_HAMSTRINGS)

    token = re.search(rf"{re.escape(BASE_URL)}/plans/(\S+)", transcript).group(1)
    plan = plan_store.get_plan(token)
    assert plan.answers.location == "back_of_thigh"
    assert plan.answers.onset == "gradual"
    assert plan.answers.days_since == 10
    assert plan.answers.shoe_test == "no"
    assert plan.answers.heel_press_test == "not_done"
    assert plan.answers.pain_score == 2
    assert plan.answers.training_change == "yes"
    assert plan.assessment.category == "tightness"
    assert list(plan.preferences.weekdays) == ["MO", "WE", "FR"]
    assert plan.preferences.time == "07:00"
    assert plan.preferences.timezone == "Europe/London"


@pytest.mark.parametrize("said, days", [
    ("one day ago", 1), ("1 day ago", 1), ("yesterday", 1), ("today", 0), ("it started this morning", 0),
    ("it started last night", 1), ("i hurt it yesterday evening", 1),
    ("twenty years ago", question("days_since").maximum),
    ("two weeks", 14), ("three weeks ago", 21), ("a week ago", 7), ("it started the day before yesterday", 2),
])
def test_how_long_ago_said_in_days_weeks_or_as_yesterday_is_filed_as_days(chat, plan_store, said, days):
    lines = [said if line == "ten days ago" else line for line in TIGHT_HAMSTRINGS]
    _, transcript = chat(lines)

    assert "I need roughly how long ago" not in transcript
    token = re.search(rf"{re.escape(BASE_URL)}/plans/(\S+)", transcript).group(1)
    assert plan_store.get_plan(token).answers.days_since == days


@pytest.mark.parametrize("said, earliest, latest", [
    ("tonight", "18:00", "23:59"), ("this evening", "17:00", "21:59"), ("this morning", "05:00", "11:59"),
])
def test_a_part_of_the_day_at_the_time_question_is_the_time_of_the_sessions(chat, plan_store, said,
                                                                             earliest, latest):
    lines = [said if line == "seven a.m." else line for line in TIGHT_HAMSTRINGS]
    _, transcript = chat(lines)

    assert "I need a time of day" not in transcript
    token = re.search(rf"{re.escape(BASE_URL)}/plans/(\S+)", transcript).group(1)
    assert earliest <= plan_store.get_plan(token).preferences.time <= latest


@pytest.mark.parametrize("typed", ["-2 weeks", "weeks", "days ago"])
def test_a_span_before_now_or_a_unit_without_a_number_is_not_filed_as_days(chat, plan_store, typed):
    at = TIGHT_HAMSTRINGS.index("ten days ago")
    lines = [*TIGHT_HAMSTRINGS[:at], typed, "two weeks", *TIGHT_HAMSTRINGS[at + 1:]]
    _, transcript = chat(lines)

    replies = alexa_lines(transcript)
    assert question("bruising").spoken not in replies[4], "the days question is asked again"
    token = re.search(rf"{re.escape(BASE_URL)}/plans/(\S+)", transcript).group(1)
    assert plan_store.get_plan(token).answers.days_since == 14


def test_this_morning_alone_at_the_days_question_is_asked_again_rather_than_taken_for_a_time(chat):
    # Said alone, "this morning" is a time of day to Alexa; "it started this morning" is a day.
    lines = TIGHT_HAMSTRINGS[:4] + ["this morning", "it started this morning"]
    _, transcript = chat(lines)

    replies = alexa_lines(transcript)
    assert replies[-2].startswith("I need roughly how long ago it started")  # help, not a lecture
    assert question("days_since").reprompt in replies[-2]
    assert question("bruising").spoken not in replies[-2]
    assert question("bruising").spoken in replies[-1]


@pytest.mark.parametrize("filed_at", [
    dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC),
    # It stops at 23:30 UTC on 31 March, already 00:30 on 1 April in London (BST): the plan's
    # zone decides the day, so the whole of 31 March is promised there.
    dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
])
def test_the_card_gives_the_last_whole_day_the_code_works_not_the_day_it_stops(chat, clock, filed_at):
    clock.now = filed_at
    _, transcript = chat(TIGHT_HAMSTRINGS)

    stops = (filed_at + CODE_LIFETIME).astimezone(ZoneInfo("Europe/London"))
    assert stops.hour in (10, 0)
    last_whole_day = stops.date() - dt.timedelta(days=1)
    assert f"(valid until {last_whole_day:%A, %B} {last_whole_day.day})" in transcript
    assert f"{stops:%A, %B} {stops.day}" not in transcript


@pytest.mark.parametrize("asked", ["ask hamstring coach what is my session today",
                                   "what is my session today"])
def test_what_is_my_session_today_reads_the_session_as_a_one_shot_or_after_opening(chat, asked):
    chat(TIGHT_HAMSTRINGS)
    opening = [] if asked.startswith("ask ") else [""]
    _, transcript = chat([*opening, asked])

    reply = alexa_lines(transcript)[-1]
    assert "Your next one is on Monday, March 2 at 7 in the morning" in reply, reply
    assert "The exercises:" in reply and "where it hurts" not in transcript


def test_a_one_shot_session_question_before_any_plan_says_there_is_none_yet(chat):
    _, transcript = chat(["ask hamstring coach what is my session today"])

    assert alexa_lines(transcript) == ["You don't have a plan yet. Say: ask Hamstring Coach to check my "
                                       "hamstring, and after a few "
                                       "questions I'll make you one."]


def test_explain_the_test_is_answered_with_the_steps_and_the_question_is_asked_again(chat):
    _, transcript = chat(TIGHT_HAMSTRINGS[:9])

    steps = alexa_lines(transcript)[-1]
    assert steps.startswith("Put on both shoes. [pause 3 s] Stand up"), "the steps, one at a time"
    assert steps.endswith(question("shoe_test").reprompt), "then the short question"


def test_a_one_shot_request_opens_the_skill_straight_into_the_check(chat):
    code, transcript = chat(["Alexa, ask hamstring coach to check my hamstring"])

    assert code == 0
    assert question("location").spoken in alexa_lines(transcript)[0]


def test_go_back_undoes_the_last_answer_and_asks_that_question_again(chat):
    _, transcript = chat(["", "behind my knee", "go back"])

    assert question("location").spoken in alexa_lines(transcript)[-1]


def test_words_the_model_does_not_know_get_a_helpful_reply_and_the_check_carries_on(chat):
    _, transcript = chat(["", "purple monkey dishwasher", "behind my right knee"])

    replies = alexa_lines(transcript)
    assert replies[1].strip()
    assert question("location").spoken in replies[1] or "where" in replies[1].lower()
    assert question("nerve_symptoms").spoken in replies[2]


def test_a_runner_who_walks_away_mid_check_is_offered_to_carry_on_next_time(chat):
    first_code, _ = chat(["", "behind my knee"])
    _, transcript = chat([""])

    assert first_code == 0
    assert "carry on where we left off" in alexa_lines(transcript)[0]


def test_stop_ends_the_session_politely(chat):
    code, transcript = chat(["", "stop", "this line is never read"])

    assert code == 0
    assert transcript.rstrip().endswith("(session ended)")
    assert "this line is never read" not in transcript


def test_silence_gets_the_reprompt_once_and_then_alexa_closes_the_session(chat):
    code, transcript = chat(["", "", "", "never read"])

    lines = transcript.splitlines()
    assert code == 0
    assert "(Alexa closes the session)" in lines
    assert len(alexa_lines(transcript)) == 2, "the welcome, then the reprompt"
    assert "never read" not in transcript


def test_british_english_hears_the_bum(chat):
    _, transcript = chat(["", "my bum"], locale="en-GB")

    assert question("nerve_symptoms").spoken in alexa_lines(transcript)[-1]


def test_input_without_a_final_newline_still_counts(chat):
    _, transcript = chat(["", "stop"], end_with_newline=False)

    assert transcript.rstrip().endswith("(session ended)")


def test_an_unknown_locale_is_refused_with_the_ones_there_are(chat):
    code, transcript = chat([""], locale="fr-FR")

    assert code == 2
    assert "en-GB" in transcript


class CtrlC(io.StringIO):
    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines) + "\n")
        self.remaining = len(lines)

    def readline(self, *args):
        if self.remaining == 0:
            raise KeyboardInterrupt
        self.remaining -= 1
        return super().readline(*args)


def test_ctrl_c_leaves_with_the_progress_kept(coach, clock, chat):
    out = io.StringIO()
    code = run_console(CtrlC(["", "the sit bone"]), out, skill=coach, user_id=RUNNER,
                       timezone="Europe/London", clock=clock)
    _, next_visit = chat([""])

    assert code == 130
    assert "carry on where we left off" in alexa_lines(next_visit)[0]


@pytest.mark.system
def test_the_hamstring_coach_chat_command_holds_a_conversation_from_a_pipe(tmp_path):
    env = {**os.environ, "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.sqlite3'}",
           "COACH_SECRET_KEY": SECRET_KEY, "COACH_BASE_URL": BASE_URL, "TZ": "Europe/London"}
    result = subprocess.run(
        [sys.executable, "-c", "from hamstring_coach_cli import main; raise SystemExit(main(['chat']))"],
        input="open hamstring coach\nit's at the sit bone\nstop\n", capture_output=True, text=True, env=env,
        cwd=REPO, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    assert question("location").spoken in result.stdout
    assert question("nerve_symptoms").spoken in result.stdout
    assert result.stdout.rstrip().endswith("(session ended)")
    assert "Traceback" not in result.stderr


def test_spoken_ssml_is_shown_as_plain_text_with_codes_letter_by_letter():
    ssml = ('<speak>Enter this code: <say-as interpret-as="spell-out">J</say-as><break time="400ms"/>'
            '<say-as interpret-as="spell-out">4</say-as><break time="400ms"/><break time="1s"/>'
            'Once more. <p>Ice &amp; rest.</p></speak>')

    assert speech_text({"type": "SSML", "ssml": ssml}) == "Enter this code: J 4 … Once more. Ice & rest."
    assert speech_text({"type": "PlainText", "text": " Hello  there "}) == "Hello there"
    test = 'Stand up.<break time="8s"/> Did it hurt?'
    shown = speech_text({"type": "SSML", "ssml": f"<speak>{test}</speak>"})
    assert shown == "Stand up. [pause 8 s] Did it hurt?"
    assert speech_text(None) == ""


def test_a_card_is_shown_with_its_title_and_each_line():
    assert card_text({"type": "Simple", "title": "Your plan", "content": "Code: AB12\nLink"}) == [
        "[Card] Your plan", "  Code: AB12", "  Link"]
    assert card_text({"type": "Standard", "title": "T", "text": "body"}) == ["[Card] T", "  body"]
    assert card_text(None) == []


def test_punctuation_alone_mid_conversation_is_not_understood_rather_than_reopening_the_skill(chat):
    _, transcript = chat(["", "?", "behind my knee"])

    replies = alexa_lines(transcript)
    assert replies[1] != replies[0], "not the welcome again"
    assert question("nerve_symptoms").spoken in replies[2]


# ---- check-ins typed (issue 10, part 3) ---------------------------------------------------------------


def latest_plan(plan_store):
    from plans.keys import owner_key

    return plan_store.latest_plan_for_owner(owner_key(SECRET_KEY.encode(), RUNNER))


def evening_of(clock, day: dt.date) -> None:
    clock.now = dt.datetime.combine(day, dt.time(18), dt.UTC)


def test_a_typed_one_shot_check_in_is_logged_with_its_pain(chat, plan_store, clock):
    chat(TIGHT_HAMSTRINGS)
    evening_of(clock, dt.date(2026, 3, 2))

    _, transcript = chat(["tell hamstring coach I did my session and it hurt a two"])

    (check_in,) = latest_plan(plan_store).check_ins
    assert (check_in.date, check_in.session, check_in.pain_during) == (dt.date(2026, 3, 2), "done", 2)
    assert alexa_lines(transcript) == [f"That's logged. {check_in.says}"]
    assert transcript.rstrip().endswith("(session ended)")


def test_a_typed_check_in_asks_what_was_not_said_and_i_dont_know_skips_the_morning(chat, plan_store, clock):
    chat(TIGHT_HAMSTRINGS)
    evening_of(clock, dt.date(2026, 3, 3))  # Tuesday: Monday's session, and its next morning, to log

    _, transcript = chat(["ask hamstring coach to log my session", "I only did part of my session",
                          "it hurt an eleven", "it hurt a three", "I don't know"])

    replies = alexa_lines(transcript)
    assert replies[0].startswith("This is about your session on Monday, March 2. How did your session go")
    assert "worst pain during the session" in replies[1]
    assert replies[2].startswith("I need a whole number from zero to ten.")
    assert "the morning after" in replies[3]
    (check_in,) = latest_plan(plan_store).check_ins
    assert (check_in.session, check_in.pain_during, check_in.pain_next_morning) == ("partial", 3, None)
    assert replies[4] == f"That's fine: I'll leave the morning out. That's logged. {check_in.says}"


def test_a_typed_move_on_check_on_its_day_asks_each_criterion(chat, plan_store, clock):
    chat(TIGHT_HAMSTRINGS)
    gate = latest_plan(plan_store).programme.pending_gate
    sessions = [s.date for s in latest_plan(plan_store).programme.sessions if s.kind == "session"]
    for day in sessions:  # every session logged, green, so only the check is left to do
        evening_of(clock, day)
        chat(["tell hamstring coach I did my session and it hurt a one"])
    evening_of(clock, gate.date)

    _, transcript = chat(["", "do my move on check", *["yes"] * len(gate.criteria)])

    replies = alexa_lines(transcript)
    assert replies[1] == f"Now, your move-on check: a few yes or no questions. {gate.criteria[0].question}"
    for reply, criterion in zip(replies[2:], gate.criteria[1:], strict=False):
        assert reply.endswith(criterion.question)
    last = latest_plan(plan_store).check_ins[-1]
    assert last.session == "gate" and all(last.criteria.values())
    assert replies[-1] == f"That's logged. {last.says}"


def test_typed_progress_and_clearance_questions_reach_the_skill(chat, plan_store, clock):
    chat(TIGHT_HAMSTRINGS)
    from plans.progress import plan_progress

    _, progress = chat(["ask hamstring coach how am I doing"])
    assert alexa_lines(progress) == [plan_progress(latest_plan(plan_store), dt.date(2026, 3, 1)).sentence()]
    _, clearance = chat(["tell hamstring coach my physio said it's a mild strain"])
    assert alexa_lines(clearance) == ["Your plan isn't waiting for a clinician, so there's nothing to clear. "
                                      "Keep going with your sessions."]
