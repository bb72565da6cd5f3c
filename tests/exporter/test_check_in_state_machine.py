"""Random check-in sequences through the JSON API, against the invariants of design.md §3: no
strides, speed or hills before the return-to-run criteria are confirmed; past sessions never
change; every calendar UID once published stays (a removed session as STATUS:CANCELLED); SEQUENCE
never goes down; every feed parses; and the page, the PDF and the feed agree on the next session.

A hypothesis state machine plays the runner: days go by, sessions are done, partly done or
missed with any pain, gates are answered yes or no, a referral is cleared by a clinician."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pypdf
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from exporter import create_app
from plans.store import PlanStore
from rehab.models import FAST_RUNNING
from tests.conftest import TEST_BASE_URL, TEST_SECRET_KEY, Clock
from tests.samples import SEVERE_TEAR, STRAIN, TENDINOPATHY, TIGHTNESS

START = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)  # a Monday, before the 07:00 session
RUNNERS = {
    "tightness": TIGHTNESS,
    "tendinopathy": {**TENDINOPATHY, "pop": "no", "bruising": "no"},
    "strain": STRAIN,
    "referral": SEVERE_TEAR,
}
PAIN = st.none() | st.integers(min_value=0, max_value=10)


class RunnerCheckingIn(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.clock = Clock(START)
        self.store = PlanStore("sqlite://", TEST_SECRET_KEY)
        app = create_app({"TESTING": True, "COACH_DATABASE_URL": "sqlite://", "PLAN_STORE": self.store,
                          "COACH_SECRET_KEY": TEST_SECRET_KEY, "COACH_BASE_URL": TEST_BASE_URL,
                          "CLOCK": self.clock, "BLUEPRINTS": ("api", "pages")})
        self.client = app.test_client()
        self.token = ""
        self.seen_sequences: dict[str, int] = {}
        self.past: dict[str, dict] = {}

    def teardown(self):
        self.store.close()

    # ---- the runner ---------------------------------------------------------------------------

    @initialize(runner=st.sampled_from(sorted(RUNNERS)))
    def file_a_plan(self, runner):
        preferences = {"timezone": "Europe/London", "weekdays": ["MO", "WE", "FR"], "time": "07:00",
                       "start_date": "2026-03-02"}
        body = {"answers": RUNNERS[runner], "preferences": preferences}
        response = self.client.post("/api/plans", json=body)
        assert response.status_code == 201, response.get_json()
        self.token = response.get_json()["token"]

    @rule(days=st.integers(min_value=1, max_value=5))
    def days_go_by(self, days):
        self.clock.advance(days=days)

    @rule(session=st.sampled_from(["done", "partial", "missed"]), during=PAIN, morning=PAIN,
          limp=st.none() | st.just(True), back=st.integers(min_value=0, max_value=2))
    def report_a_session(self, session, during, morning, limp, back):
        day = max(self.today() - dt.timedelta(days=back), dt.date(2026, 3, 2))
        report = {"date": day.isoformat(), "session": session}
        for name, value in (("pain_during", during), ("pain_next_morning", morning), ("limp", limp)):
            if value is not None:
                report[name] = value
        response = self.client.post(f"/api/plans/{self.token}/checkins", json=report)
        assert response.status_code in (201, 400), response.get_json()
        if response.status_code == 400:  # only a date the plan cannot take, never a crash
            assert response.get_json()["error"]["details"][0]["loc"] in (["date"], ["criteria"])

    @precondition(lambda self: self.token)
    @rule(answer=st.booleans())
    def answer_the_gate(self, answer):
        gate = self.plan()["pending_gate"]
        if gate is None or gate["date"] > self.today().isoformat():
            return
        criteria = {c["id"]: answer for c in gate["criteria"]}
        response = self.client.post(f"/api/plans/{self.token}/checkins",
                                    json={"date": self.today().isoformat(), "criteria": criteria})
        assert response.status_code == 201, response.get_json()

    @rule(category=st.sampled_from(["tightness", "tendinopathy", "strain_low_grade", "strain"]))
    def a_clinician_clears_a_referral(self, category):
        response = self.client.post(f"/api/plans/{self.token}/clearance", json={"category": category})
        if self.plan()["programme"]["category"] == category and response.status_code == 201:
            return
        assert response.status_code in (201, 409), response.get_json()

    # ---- what must always hold ------------------------------------------------------------------

    @invariant()
    def no_fast_running_before_the_return_to_run_criteria(self):
        if not self.token:
            return
        programme = self.plan()["programme"]
        confirmed = any(phase["after_return_to_run"] for phase in programme["phases"]
                        if phase["id"] == programme["current_phase_id"])
        if not confirmed:
            fast = [s["id"] for s in programme["sessions"] if s["running"] in FAST_RUNNING]
            assert not fast, f"fast running before the return-to-run criteria: {fast}"

    @invariant()
    def past_sessions_never_change(self):
        if not self.token:
            return
        today = self.today().isoformat()
        sessions = {s["id"]: s for s in self.plan()["programme"]["sessions"]}
        for session_id, kept in self.past.items():
            assert sessions.get(session_id) == kept, f"past session {session_id} changed"
        # A session is past once its day is over.
        self.past.update({sid: s for sid, s in sessions.items() if s["date"] < today})

    @invariant()
    def the_feed_parses_keeps_every_uid_and_never_lowers_a_sequence(self):
        if not self.token:
            return
        feed = self.client.get(f"/plans/{self.token}.ics")
        assert feed.status_code == 200
        events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")}
        assert set(self.seen_sequences) <= set(events), "a published event vanished from the feed"
        for uid, event in events.items():
            sequence = int(event["SEQUENCE"])
            assert sequence >= self.seen_sequences.get(uid, 0)
            self.seen_sequences[uid] = sequence

    @invariant()
    def page_pdf_and_feed_agree_on_the_next_session(self):
        if not self.token:
            return
        programme = self.plan()["programme"]
        today = self.today().isoformat()
        upcoming = [s for s in programme["sessions"] if s["date"] >= today and s["kind"] == "session"]
        if not upcoming:
            return
        following = upcoming[0]
        day = dt.date.fromisoformat(following["date"])
        words = f"{day:%A} {day.day} {day:%B} {day.year}"
        page = self.client.get(f"/plans/{self.token}").get_data(as_text=True)
        assert words in page
        pdf = pypdf.PdfReader(io.BytesIO(self.client.get(f"/plans/{self.token}.pdf").data))
        assert f"{day.day} {day:%b}" in " ".join(p.extract_text() for p in pdf.pages)
        if programme["category"] == "refer":
            return  # a referral's calendar holds "Book a clinician" and its check-in, not rest days
        feed = icalendar.Calendar.from_ical(self.client.get(f"/plans/{self.token}.ics").data)
        starts = {e.decoded("DTSTART").date() for e in feed.walk("VEVENT") if "STATUS" not in e}
        assert day in starts

    # ---- helpers ------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock().date()

    def plan(self) -> dict:
        response = self.client.get(f"/api/plans/{self.token}")
        assert response.status_code == 200
        return response.get_json()


# No shrinking: each step renders a page, a PDF and a feed, and a failure's raw steps are enough.
RunnerCheckingIn.TestCase.settings = settings(
    max_examples=10, stateful_step_count=12, deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_random_check_in_sequences_keep_every_promise = pytest.mark.filterwarnings("ignore")(
    RunnerCheckingIn.TestCase)
