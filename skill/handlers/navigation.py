"""Finding your way at any question: repeat, go back, start over, help, explain the test, and
the fallback for anything not understood (it always re-asks with examples, never dead-ends)."""

from __future__ import annotations

from skill import conversation as talk
from skill.handlers.base import ConversationHandler, respond, visit_of


class RepeatHandler(ConversationHandler):
    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input):
        state, turn = talk.repeat(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class GoBackHandler(ConversationHandler):
    """'Go back': undo the last answer and ask that question again."""

    intents = ("AMAZON.PreviousIntent",)

    def handle(self, handler_input):
        state, turn = talk.go_back(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class StartOverHandler(ConversationHandler):
    intents = ("AMAZON.StartOverIntent",)

    def handle(self, handler_input):
        state, turn = talk.start_over(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class HelpHandler(ConversationHandler):
    intents = ("AMAZON.HelpIntent",)

    def handle(self, handler_input):
        state, turn = talk.help_(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class ExplainTestHandler(ConversationHandler):
    """'How do I do the test?': the current at-home test, step by step."""

    intents = ("ExplainTestIntent",)

    def handle(self, handler_input):
        state, turn = talk.explain_test(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class FallbackHandler(ConversationHandler):
    """AMAZON.FallbackIntent, and any request nothing else handles (an intent this version does
    not know, a display or purchase event): say so and ask the current question again."""

    def can_handle(self, handler_input) -> bool:
        return True

    def handle(self, handler_input):
        state, turn = talk.fallback(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class WaitHandler(ConversationHandler):
    """'Wait', 'not yet', 'hang on': more time, then the question again (briefly)."""

    intents = ("WaitIntent",)

    def handle(self, handler_input):
        state, turn = talk.wait(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)
