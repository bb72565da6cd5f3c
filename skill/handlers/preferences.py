"""The two preference questions after the triage: which days, what time (and, if the runner
offers it, when to start)."""

from __future__ import annotations

from rehab.clock import today_in
from skill import conversation as talk
from skill.handlers.base import ConversationHandler, device_zone, respond, slot_value, visit_of

DAY_SLOTS = ("firstDay", "secondDay", "thirdDay", "fourthDay")


class ChooseDaysHandler(ConversationHandler):
    intents = ("ChooseDaysIntent",)

    def handle(self, handler_input):
        days = talk.weekdays_from(slot_value(handler_input, slot) for slot in DAY_SLOTS)
        state = visit_of(handler_input).state
        today = None
        if talk.at_question(state, "days_since"):  # "on Monday": when it started, in the runner's week
            today = today_in(device_zone(handler_input, self.services), self.services.clock())
        state, turn = talk.choose_days(state, days, today=today)
        return respond(handler_input, self.services, state, turn)


class ChooseTimeHandler(ConversationHandler):
    intents = ("ChooseTimeIntent",)

    def handle(self, handler_input):
        spoken = slot_value(handler_input, "time")
        state, turn = talk.choose_time(visit_of(handler_input).state, talk.time_from(spoken), spoken=spoken)
        return respond(handler_input, self.services, state, turn)


class ChooseStartDateHandler(ConversationHandler):
    intents = ("ChooseStartDateIntent",)

    def handle(self, handler_input):
        visit = visit_of(handler_input)
        start = talk.date_from(slot_value(handler_input, "startDate"))
        # "Today" is the runner's today: in the device's zone, not the server's.
        today = today_in(device_zone(handler_input, self.services), self.services.clock())
        state, turn = talk.choose_start_date(visit.state, start, today)
        return respond(handler_input, self.services, state, turn)
