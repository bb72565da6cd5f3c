"""Properties of the coaching loop over every answer combination and random runs of check-ins,
checked by hypothesis: the revision rules of design.md §3 and no speed before the return-to-run
criteria are confirmed."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.adaptation import advance, clear_for_rehab
from rehab.models import FAST_RUNNING, WEEKDAYS, Answers, CheckIn, Preferences, Programme
from rehab.programme import build_programme
from rehab.questions import QUESTIONS
from rehab.triage import assess


def _legal_values(q) -> st.SearchStrategy:
    if q.kind == "number":
        return st.integers(q.minimum, q.maximum)
    return st.sampled_from(q.choices)


any_answers = st.fixed_dictionaries({q.id: st.none() | _legal_values(q) for q in QUESTIONS})
preferences = st.builds(
    Preferences,
    start_date=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    timezone=st.sampled_from(("UTC", "Europe/London", "America/New_York", "Australia/Sydney")),
    weekdays=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
    time=st.sampled_from(("06:30", "07:00", "18:15")),
)
# Mostly low pain, so runs get far enough to reach the gates.
_low = st.integers(0, 3)
pain = st.one_of(st.none(), _low, _low, _low, _low, _low, _low, st.integers(0, 10))
# The next morning mostly steady, so that runs are not all red.
morning = st.one_of(st.none(), st.just(1), st.just(1), st.just(1), st.integers(0, 10))


@st.composite
def check_in_steps(draw):
    return draw(st.lists(st.tuples(
        st.sampled_from((1, 2, 2, 2, 3, 3, 4, 9)),                    # days since the last check-in
        st.sampled_from(("done", "done", "done", "done", "partial", "missed", None)),
        pain, morning,
        st.sampled_from(("all_yes", "all_yes", "all_yes", "one_no", "none")),  # how the gate is answered
        st.sampled_from((None,) * 20 + (False, True)),              # limp, rarely
        st.sampled_from((None,) * 30 + (True,)),                    # a red-flag answer, rarely
    ), min_size=1, max_size=30))


def _check_in(programme: Programme, date: dt.date, step) -> CheckIn:
    _, session, during, morning, answer, limp, flag = step
    gate = programme.pending_gate
    criteria = None
    if gate is not None and answer != "none" and gate.date <= date:
        criteria = {c.id: True for c in gate.criteria}
        if answer == "one_no":
            criteria[gate.criteria[0].id] = False
    if session is None and criteria is None:
        session = "done"
    return CheckIn(date=date, session=session, pain_during=during, pain_next_morning=morning,
                   criteria=criteria, limp=limp if limp else None, pop=flag)


def _content(session):
    return session.model_copy(update={"sequence": 0})


def _check_revision(old: Programme, new: Programme, changed: bool, today: dt.date) -> None:
    # Revision rises iff anything changed.
    assert new.revision == old.revision + (1 if changed else 0)
    assert changed == (new.model_copy(update={"revision": old.revision}) != old)
    # Past sessions never change.
    assert [s for s in new.sessions if s.date <= today] == [s for s in old.sessions if s.date <= today]
    old_items = {s.id: s for s in (*old.sessions, *old.cancelled)}
    new_items = {s.id: s for s in (*new.sessions, *new.cancelled)}
    # Every id ever used stays accounted for; surviving sessions keep theirs.
    assert set(old_items) <= set(new_items)
    assert len(new_items) == len(new.sessions) + len(new.cancelled), "an id names one item"
    for item_id, before in old_items.items():
        after = new_items[item_id]
        # The sequence never falls; an id never names different content without a raised sequence.
        assert after.sequence >= before.sequence
        if _content(after) != _content(before):
            assert after.sequence > before.sequence
    assert {s.id for s in old.cancelled} <= {s.id for s in new.cancelled}, "a cancellation stays"
    dates = [s.date for s in new.sessions]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


@settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(any_answers, preferences, check_in_steps())
def test_random_check_ins_keep_the_revision_rules_and_never_bring_speed_before_the_return_criteria(
        raw, prefs, steps):
    answers = Answers(**raw)
    assessment = assess(answers)
    programme = build_programme(answers, assessment, prefs)
    history: list[CheckIn] = []
    confirmed_on: dt.date | None = None
    date = prefs.start_date
    for step in steps:
        date += dt.timedelta(days=step[0])
        check_in = _check_in(programme, date, step)
        gate = programme.pending_gate
        outcome = advance(programme, history, check_in, answers=answers, assessment=assessment,
                          preferences=prefs)
        again = advance(programme, list(history), check_in, answers=answers, assessment=assessment,
                        preferences=prefs)
        assert again == outcome, "the same inputs give the same revision"
        _check_revision(programme, outcome.programme, outcome.changed, date)
        if outcome.rule_id == "gate-passed" and gate is not None and gate.return_to_run:
            confirmed_on = confirmed_on or date
        new = outcome.programme
        fast = [s for s in new.sessions if s.running in FAST_RUNNING]
        if confirmed_on is None:
            assert not fast
            assert not any(p.after_return_to_run for p in new.phases)
        else:
            assert all(s.date > confirmed_on for s in fast)
        assert Programme.model_validate_json(new.model_dump_json()) == new
        history.append(check_in)
        programme = new


@settings(deadline=None, max_examples=60)
@given(any_answers, preferences, st.integers(0, 40),
       st.sampled_from(("tightness", "tendinopathy", "strain_low_grade", "strain")))
def test_a_clearance_keeps_the_revision_rules_for_every_referral(raw, prefs, after_days, category):
    answers = Answers(**raw)
    assessment = assess(answers)
    if assessment.category != "refer":
        return
    referral = build_programme(answers, assessment, prefs)
    today = prefs.start_date + dt.timedelta(days=after_days)

    cleared = clear_for_rehab(referral, category, answers=answers, assessment=assessment, preferences=prefs,
                              today=today)

    _check_revision(referral, cleared, True, today - dt.timedelta(days=1))
    assert cleared.category == category
    assert not {s.running for s in cleared.sessions} & FAST_RUNNING
    assert {s.id for s in referral.sessions if s.date >= today} == {s.id for s in cleared.cancelled}


@settings(deadline=None, max_examples=80)
@given(any_answers, preferences, st.lists(st.sampled_from(("green", "green", "green", "amber", "red")),
                                          min_size=40, max_size=40))
def test_a_runner_who_keeps_checking_in_reaches_speed_only_through_the_return_to_run_gate(raw, prefs, days):
    answers = Answers(**raw)
    assessment = assess(answers)
    programme = build_programme(answers, assessment, prefs)
    history: list[CheckIn] = []
    confirmed_on: dt.date | None = None
    date = prefs.start_date
    for kind in days:
        date += dt.timedelta(days=2)
        gate = programme.pending_gate
        criteria = {c.id: True for c in gate.criteria} if gate is not None and gate.date <= date else None
        during = {"green": 1, "amber": 4, "red": 6}[kind]
        check_in = CheckIn(date=date, session="done", pain_during=during, pain_next_morning=1,
                           criteria=criteria)
        outcome = advance(programme, history, check_in, answers=answers, assessment=assessment,
                          preferences=prefs)
        _check_revision(programme, outcome.programme, outcome.changed, date)
        if outcome.rule_id == "gate-passed" and gate.return_to_run:
            assert outcome.programme.run_track in ("running", "cleared"), "the walk-run came first"
            confirmed_on = confirmed_on or date
        fast = [s for s in outcome.programme.sessions if s.running in FAST_RUNNING]
        assert all(s.date > confirmed_on for s in fast) if confirmed_on else not fast
        history.append(check_in)
        programme = outcome.programme
