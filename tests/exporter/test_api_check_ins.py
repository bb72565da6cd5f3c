"""Check-ins and clinician clearance through the JSON API (design.md §3–§4): what a client sends,
what it gets back, how the plan's revision and calendar follow, and every way it can go wrong
without changing anything."""

from __future__ import annotations

import icalendar
import pytest

from tests.exporter.test_api import create, detail_at, error_of
from tests.samples import LONDON_MWF, LONDON_MWF_FROM_MONDAY, SEVERE_TEAR


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BLUEPRINTS": ("api", "pages")}


@pytest.fixture
def token(client):
    response = create(client, preferences=LONDON_MWF_FROM_MONDAY)
    assert response.status_code == 201
    return response.get_json()["token"]


def check_in(client, token, **report):
    return client.post(f"/api/plans/{token}/checkins", json=report)


def plan_of(client, token) -> dict:
    response = client.get(f"/api/plans/{token}")
    assert response.status_code == 200
    return response.get_json()


def events_of(client, token) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(client.get(f"/plans/{token}.ics").data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def content_of(event: icalendar.Event) -> dict[str, bytes]:
    return {name: value.to_ical() if hasattr(value, "to_ical") else str(value).encode()
            for name, value in event.items() if name not in ("DTSTAMP", "LAST-MODIFIED")}


def test_a_green_session_is_recorded_with_its_verdict_and_the_next_session(client, clock, token):
    clock.advance(days=2)
    response = check_in(client, token, date="2026-03-02", session="done", pain_during=1, pain_next_morning=1)
    assert response.status_code == 201
    body = response.get_json()
    assert body["check_in"]["verdict"] in ("progress", "hold")
    assert body["check_in"]["light"] == "green"
    assert body["check_in"]["says"]
    assert body["check_in"]["number"] == 1
    assert body["next_session"] is None or body["next_session"]["date"] >= "2026-03-03"
    assert body["links"]["page"].endswith(f"/plans/{token}")
    shown = plan_of(client, token)
    assert [c["number"] for c in shown["check_ins"]] == [1]
    assert shown["check_ins"][0]["pain_during"] == 1


def test_a_red_session_steps_back_as_a_new_revision_of_the_same_plan(client, clock, token):
    before = plan_of(client, token)
    clock.advance(days=2)
    response = check_in(client, token, date="2026-03-02", session="done", pain_during=7, pain_next_morning=6)
    assert response.status_code == 201
    body = response.get_json()
    assert body["check_in"]["light"] == "red"
    assert body["check_in"]["verdict"] in ("regress", "see_clinician")
    assert body["changed"] is True
    assert body["revision"] == before["revision"] + 1
    after = plan_of(client, token)
    assert after["revision"] == before["revision"] + 1
    assert after["check_ins"][0]["changes"]
    assert after["links"] == before["links"]  # same token, same feed


def test_the_calendar_follows_a_revision_keeping_uids_raising_sequence_and_cancelling(client, clock, token):
    first = events_of(client, token)
    etag = client.get(f"/plans/{token}.ics").headers["ETag"]
    clock.advance(days=2)
    assert check_in(client, token, date="2026-03-02", session="done", pain_during=7,
                    pain_next_morning=7).status_code == 201
    second = events_of(client, token)
    assert client.get(f"/plans/{token}.ics").headers["ETag"] != etag
    past = [uid for uid, event in first.items()
            if event.decoded("DTSTART").date().isoformat() <= "2026-03-02"]
    for uid in past:  # past sessions never change (only the feed's stamps move on)
        assert content_of(second[uid]) == content_of(first[uid])
    for uid, event in second.items():
        if uid in first:
            assert int(event["SEQUENCE"]) >= int(first[uid]["SEQUENCE"])
            if str(event.get("STATUS", "")) == "CANCELLED" or event.decoded("DTSTART") != first[uid].decoded(
                    "DTSTART") or str(event["SUMMARY"]) != str(first[uid]["SUMMARY"]):
                assert int(event["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert set(first) <= set(second), "a removed session must stay in the feed as CANCELLED"


@pytest.mark.parametrize(("report", "loc"), [
    pytest.param({"session": "done", "pain_during": 11}, "pain_during", id="pain 11"),
    pytest.param({"session": "done", "pain_during": -1}, "pain_during", id="pain below 0"),
    pytest.param({"session": "done", "pain_during": True}, "pain_during", id="pain true"),
    pytest.param({"session": "done", "pain_next_morning": "5"}, "pain_next_morning", id="pain as text"),
    pytest.param({"session": "ran"}, "session", id="unknown session"),
    pytest.param({"session": "done", "date": "2026-02-30"}, "date", id="impossible date"),
    pytest.param({"session": "done", "colour": "blue"}, "colour", id="unknown field"),
])
def test_a_malformed_check_in_is_a_400_naming_the_field_and_changes_nothing(client, token, report, loc):
    before = plan_of(client, token)
    response = check_in(client, token, **report)
    assert response.status_code == 400
    detail_at(error_of(response), loc)
    assert plan_of(client, token) == before


def test_a_check_in_dated_in_the_future_or_before_the_plan_is_refused(client, clock, token):
    before = plan_of(client, token)
    for date in ("2026-03-09", "2026-02-20"):
        response = check_in(client, token, date=date, session="done", pain_during=1)
        assert response.status_code == 400
        detail_at(error_of(response), "date")
    assert plan_of(client, token) == before


def test_a_criterion_the_current_gate_does_not_have_is_refused(client, clock, token):
    before = plan_of(client, token)
    clock.advance(days=2)
    response = check_in(client, token, date="2026-03-02", session="done", pain_during=1,
                        criteria={"can-fly": True})
    assert response.status_code == 400
    detail_at(error_of(response), "criteria")
    assert plan_of(client, token) == before


def test_a_check_in_on_a_deleted_or_unknown_plan_is_a_404(client, token):
    assert client.delete(f"/api/plans/{token}").status_code == 204
    response = check_in(client, token, session="done", pain_during=1)
    assert response.status_code == 404
    error_of(response)
    assert check_in(client, "x" * 200, session="done").status_code == 404


def test_a_check_in_that_is_not_json_is_a_400(client, token):
    response = client.post(f"/api/plans/{token}/checkins", data="pain=3", content_type="text/plain")
    assert response.status_code == 400
    error_of(response)


def test_deleting_a_plan_deletes_its_check_ins(client, clock, token, sql):
    clock.advance(days=2)
    assert check_in(client, token, date="2026-03-02", session="done", pain_during=2).status_code == 201
    assert sql("SELECT count(*) FROM check_ins") == [(1,)]
    assert client.delete(f"/api/plans/{token}").status_code == 204
    assert sql("SELECT count(*) FROM check_ins") == [(0,)]


# ---- clinician clearance ------------------------------------------------------------------


def test_a_referred_runner_cleared_by_a_clinician_gets_that_programme_as_the_next_revision(client, clock):
    referral = create(client, answers=SEVERE_TEAR, preferences=LONDON_MWF).get_json()
    token = referral["token"]
    assert referral["assessment"]["category"] == "refer"
    clock.advance(days=5)
    response = client.post(f"/api/plans/{token}/clearance", json={"category": "strain"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["revision"] == referral["revision"] + 1
    assert body["category"] == "strain"
    assert body["says"]
    plan = plan_of(client, token)
    assert plan["programme"]["category"] == "strain"
    assert plan["assessment"]["category"] == "refer"  # what the triage said stays on record
    assert plan["check_ins"][-1]["session"] == "clearance"
    # The calendar follows the programme, not the triage: rehab sessions, no more "Book a clinician".
    live = [e for e in events_of(client, token).values() if "STATUS" not in e]
    assert len(live) > 2
    assert all("clinician" not in str(e["SUMMARY"]).lower() for e in live)


@pytest.mark.parametrize("body", [{"category": "refer"}, {"category": "sprained"}, {}, {"category": 3}])
def test_clearance_for_no_programme_is_a_400(client, body):
    token = create(client, answers=SEVERE_TEAR, preferences=LONDON_MWF).get_json()["token"]
    response = client.post(f"/api/plans/{token}/clearance", json=body)
    assert response.status_code == 400
    detail_at(error_of(response), "category")


def test_clearance_of_a_plan_that_is_not_a_referral_is_refused_and_changes_nothing(client, token):
    before = plan_of(client, token)
    response = client.post(f"/api/plans/{token}/clearance", json={"category": "strain"})
    assert response.status_code in (400, 409)
    error_of(response)
    assert plan_of(client, token) == before


def test_clearance_of_an_unknown_plan_is_a_404(client):
    assert client.post("/api/plans/nope/clearance", json={"category": "strain"}).status_code == 404


def test_the_plan_view_shows_revision_current_phase_pending_gate_and_check_ins(client, token):
    plan = plan_of(client, token)
    assert plan["revision"] == 1
    assert plan["current_phase"] == plan["programme"]["phases"][0]["id"]
    assert "pending_gate" in plan
    assert plan["check_ins"] == []



def test_a_check_in_that_changes_nothing_scheduled_still_gives_the_files_new_etags(client, clock, token):
    etags = {kind: client.get(f"/plans/{token}.{kind}").headers["ETag"] for kind in ("pdf", "ics")}
    clock.advance(days=2)
    body = check_in(client, token, date="2026-03-02", session="done", pain_during=1,
                    pain_next_morning=1).get_json()
    assert body["changed"] is False  # one green session: the same load again
    for kind, etag in etags.items():
        response = client.get(f"/plans/{token}.{kind}", headers={"If-None-Match": etag})
        assert response.status_code == 200, kind
        assert response.headers["ETag"] != etag


def test_a_red_flag_check_in_turns_the_plan_into_a_referral_but_keeps_what_the_calendar_showed(
        client, clock, token):
    before = events_of(client, token)
    clock.advance(days=2)
    body = check_in(client, token, date="2026-03-02", session="done", pain_during=9).get_json()
    assert body["check_in"]["verdict"] == "see_clinician"
    assert plan_of(client, token)["programme"]["category"] == "refer"
    after = events_of(client, token)
    assert set(before) <= set(after)
    first_day = [uid for uid, event in before.items()
                 if event.decoded("DTSTART").date().isoformat() == "2026-03-02"]
    for uid in first_day:  # the day already trained keeps its title: it was a session, not self-care
        assert str(after[uid]["SUMMARY"]) == str(before[uid]["SUMMARY"])
    assert any("clinician" in str(e["SUMMARY"]).lower() for e in after.values() if "STATUS" not in e)


def test_a_check_in_about_an_earlier_day_never_rewrites_the_days_since(client, clock, token):
    clock.advance(days=5)  # Friday 6 March; the check-in is about Monday 2 March
    before = {s["id"]: s for s in plan_of(client, token)["programme"]["sessions"] if s["date"] < "2026-03-06"}
    body = check_in(client, token, date="2026-03-02", session="done", pain_during=7, pain_next_morning=7)
    assert body.status_code == 201
    after = {s["id"]: s for s in plan_of(client, token)["programme"]["sessions"]}
    for session_id, session in before.items():  # Wednesday 4 March is past: it stays as it was
        assert after[session_id] == session


def test_a_referral_cleared_then_referred_again_keeps_the_self_care_days_the_clearance_published(
        client, clock):
    """Found by the check-in state machine: a referral's later self-care days are folded into one
    "Book a clinician" event, but once a clearance has published them they must stay in the feed
    when a red check-in makes the plan a referral again."""
    token = create(client, answers=SEVERE_TEAR, preferences=LONDON_MWF_FROM_MONDAY).get_json()["token"]
    clock.advance(days=3)
    assert client.post(f"/api/plans/{token}/clearance", json={"category": "tightness"}).status_code == 201
    published = events_of(client, token)
    clock.advance(days=3)
    day = clock().date().isoformat()
    body = check_in(client, token, date=day, session="done", pain_next_morning=8).get_json()
    assert plan_of(client, token)["programme"]["category"] == "refer", body
    after = events_of(client, token)
    assert set(published) <= set(after)
    live = [e for e in after.values() if "STATUS" not in e]
    # The new referral still shows one "Book a clinician" day, not one a day.
    future = [e for e in live if e.decoded("DTSTART").date().isoformat() > day]
    assert sum(str(e["SUMMARY"]) == "Book a clinician" for e in future) == 1


def test_a_red_check_in_straight_after_a_clearance_keeps_the_self_care_days_it_published(client, clock):
    """Found by the check-in state machine: cleared, then referred again before any training
    session was past; the self-care days the clearance published must stay in the feed."""
    token = create(client, answers=SEVERE_TEAR, preferences=LONDON_MWF_FROM_MONDAY).get_json()["token"]
    clock.advance(days=4)
    assert client.post(f"/api/plans/{token}/clearance", json={"category": "tendinopathy"}).status_code == 201
    published = events_of(client, token)
    day = clock().date().isoformat()
    check_in(client, token, date=day, session="missed", pain_during=9)
    assert plan_of(client, token)["programme"]["category"] == "refer"
    assert set(published) <= set(events_of(client, token))
