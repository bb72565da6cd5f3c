"""The catch-all: whatever went wrong, the runner hears an apology and the question again, their
progress is kept, and the log names only the exception's type. Its message could quote a
runner's answers or pain score, and the request holds their user id: neither may be logged."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from skill import conversation as talk
from skill.handlers.base import VISIT, Services, Visit, request_of, speak
from skill.handlers.interceptors import load_visit, save_visit
from skill.prompts import for_locale

logger = logging.getLogger("skill")

# The records an operator (and the tests) look for: a turn that reached this handler is a bug to
# fix, however politely the runner was answered. The type name is the only argument.
TURN_FAILED = "turn failed with %s; apologised and asked again"
APOLOGY_FAILED = "apology failed with %s"


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input, exception) -> bool:
        return True

    def handle(self, handler_input, exception):
        logger.error(TURN_FAILED, type(exception).__name__)
        try:
            return self._apologise(handler_input)
        except Exception as second:  # even the apology failed: say something plain, end the session
            logger.error(APOLOGY_FAILED, type(second).__name__)
            builder = handler_input.response_builder
            builder.response.reprompt = None
            builder.speak(for_locale(None).say("error_sorry")).set_should_end_session(True)
            return builder.response

    def _apologise(self, handler_input):
        manager = handler_input.attributes_manager
        visit: Visit | None = manager.request_attributes.get(VISIT)
        if visit is None:  # the failure came before the conversation was loaded
            visit = load_visit(handler_input, self.services)
            manager.request_attributes[VISIT] = visit
        if getattr(request_of(handler_input), "object_type", None) == "SessionEndedRequest":
            save_visit(handler_input)
            return handler_input.response_builder.response
        # The state as it was before the failing turn: the handler never stored a half-made one.
        step = visit.state.step()
        if step.kind in (talk.FILE, talk.LOG_CHECK_IN):  # nothing to ask: the failing turn was acting
            response = speak(handler_input, visit.prompts, [talk.say("error_sorry")], None, end=True)
        else:
            response = speak(handler_input, visit.prompts, [talk.say("error_sorry")], step, end=False)
        save_visit(handler_input)
        return response
