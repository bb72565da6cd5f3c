"""Answers to the triage questions: where, how it started, a number, yes, no, or not sure.

Each handler reads its slot and hands the value to the conversation, which checks it against
the current question (rehab.questions.record_answer) and re-asks with guidance when it does not
fit: "eleven out of ten", an unrecognised "?", an empty slot, a yes where a place is needed.
"""

from __future__ import annotations

from skill import conversation as talk
from skill.handlers.base import ConversationHandler, intent_name, resolved_id, respond, slot_value, visit_of


def _choice_value(handler_input, slot: str) -> str | None:
    """A custom slot's value id: the one entity resolution matched, else the words themselves
    when they already are an id ("back of thigh" -> back_of_thigh, as a typed console may send)."""
    value_id = resolved_id(handler_input, slot)
    if value_id is not None:
        return value_id
    words = slot_value(handler_input, slot)
    return words.lower().replace(" ", "_") if words else None


class LocationAnswerHandler(ConversationHandler):
    intents = ("AnswerLocationIntent",)

    def handle(self, handler_input):
        location = _choice_value(handler_input, "location")
        state, turn = talk.answer(visit_of(handler_input).state, "location", location)
        return respond(handler_input, self.services, state, turn)


class OnsetAnswerHandler(ConversationHandler):
    intents = ("AnswerOnsetIntent",)

    def handle(self, handler_input):
        onset = _choice_value(handler_input, "onset")
        state, turn = talk.answer(visit_of(handler_input).state, "onset", onset)
        return respond(handler_input, self.services, state, turn)


class NumberAnswerHandler(ConversationHandler):
    """AMAZON.NUMBER serves both the pain score and the days since it started: the current
    question decides which. "Two weeks" (AMAZON.DURATION), "yesterday" (RELATIVE_DAY_TYPE) and
    "it started last night" (PART_OF_DAY_TYPE) arrive on the same intent and can only answer the
    days: they are counted in days here. A part of the day is heard as a day only after words
    such as "it started": said alone, "tonight" is a time and belongs to ChooseTimeIntent."""

    intents = ("AnswerNumberIntent",)

    def handle(self, handler_input):
        state = visit_of(handler_input).state
        relative_day = _choice_value(handler_input, "relativeDay")
        part_of_day = _choice_value(handler_input, "partOfDay")
        duration = slot_value(handler_input, "duration")
        if relative_day is not None:
            state, turn = talk.answer(state, "days", talk.days_from_relative_day(relative_day))
        elif part_of_day is not None:
            state, turn = talk.answer(state, "days", talk.days_from_part_of_day(part_of_day))
        elif duration is not None:
            state, turn = talk.answer(state, "days", talk.days_from_duration(duration))
        else:
            state, turn = talk.answer(state, "number", slot_value(handler_input, "number"))
        return respond(handler_input, self.services, state, turn)


class YesHandler(ConversationHandler):
    intents = ("AMAZON.YesIntent",)

    def handle(self, handler_input):
        state, turn = talk.answer(visit_of(handler_input).state, "yes", None)
        return respond(handler_input, self.services, state, turn)


class NoHandler(ConversationHandler):
    intents = ("AMAZON.NoIntent",)

    def handle(self, handler_input):
        state, turn = talk.answer(visit_of(handler_input).state, "no", None)
        return respond(handler_input, self.services, state, turn)


class UnsureHandler(ConversationHandler):
    """'I'm not sure' / 'I didn't try it': the question's cautious answer where it has one."""

    intents = ("UnsureIntent",)

    def handle(self, handler_input):
        state, turn = talk.unsure(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class OutcomeChoiceHandler(ConversationHandler):
    """At the outcome: "why", "what to do today", "make my plan". Elsewhere, "make my plan" carries
    on the check and the other two are heard as something not understood."""

    intents = ("WhyIntent", "TodayAdviceIntent", "MakePlanIntent")
    _KINDS = {"WhyIntent": "why", "TodayAdviceIntent": "today", "MakePlanIntent": "plan"}

    def handle(self, handler_input):
        state = visit_of(handler_input).state
        kind = self._KINDS[intent_name(handler_input)]
        state, turn = talk.outcome_said(state, kind)
        return respond(handler_input, self.services, state, turn)
