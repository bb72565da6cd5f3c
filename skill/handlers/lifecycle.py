"""Opening, closing and the one-shot start: launch, "check my hamstring", stop and cancel, and
the session ending on its own."""

from __future__ import annotations

from skill import conversation as talk
from skill.handlers.base import ConversationHandler, request_of, respond, visit_of


class LaunchHandler(ConversationHandler):
    """'Alexa, open hamstring coach': welcome, or welcome back with an offer to carry on."""

    def can_handle(self, handler_input) -> bool:
        return getattr(request_of(handler_input), "object_type", None) == "LaunchRequest"

    def handle(self, handler_input):
        state, turn = talk.launch(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class CheckHamstringHandler(ConversationHandler):
    """'Ask hamstring coach to check my hamstring' (also mid-visit: carry on the check)."""

    intents = ("CheckHamstringIntent",)

    def handle(self, handler_input):
        state, turn = talk.check_hamstring(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class StopHandler(ConversationHandler):
    """Stop, Cancel and 'go home' end politely; the answers so far are kept for next time."""

    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def handle(self, handler_input):
        state, turn = talk.stop(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)


class SessionEndedHandler(ConversationHandler):
    """The session closed without a goodbye (silence, walking away, an error on Alexa's side).
    Nothing may be said; the response interceptor saves the progress."""

    def can_handle(self, handler_input) -> bool:
        return getattr(request_of(handler_input), "object_type", None) == "SessionEndedRequest"

    def handle(self, handler_input):
        return handler_input.response_builder.response
