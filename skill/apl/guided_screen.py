"""The Echo Show in step with a guided session (skill.handlers.guided).

- `GuidedScreenInterceptor`: after a guided step was said, shows the same exercise (the session
  screen of skill.apl.screens, at the prescription the step belongs to).
- `GuidedScreenEventHandler`: while a session is guided, the screen's buttons move the same place
  the voice does: Next goes on to the next exercise, Done ends the session into the check-in, It
  hurts does what "that hurts" does.

Only on devices that render APL; a screen that cannot be built leaves the spoken turn as it was.
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from skill.apl import documents
from skill.apl.screens import screen_event, session_document, supports_apl
from skill.conversation import Line
from skill.handlers import guided
from skill.handlers.base import ConversationHandler, Services, request_of, visit_of

logger = logging.getLogger("skill")


class GuidedScreenInterceptor(AbstractResponseInterceptor):
    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input, response) -> None:
        shows = handler_input.attributes_manager.request_attributes.get(guided.SCREEN_SHOWS)
        if response is None or shows is None or not supports_apl(handler_input):
            return
        try:
            session, today, index = shows
            document = session_document(visit_of(handler_input).prompts, session, today, index)
            if document is None:
                return
            from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

            directive = RenderDocumentDirective(token=documents.SESSION_TOKEN, document=document)
            response.directives = [*(response.directives or ()), directive]
        except Exception as error:  # voice only, as the turn was spoken
            logger.warning("no screen for this guided step (%s)", type(error).__name__)


class GuidedScreenEventHandler(ConversationHandler):
    """Next, Done and It hurts pressed while a session is guided (otherwise they are
    skill.apl.screens.ScreenEventHandler's)."""

    def can_handle(self, handler_input) -> bool:
        return guided.guiding(handler_input) and screen_event(request_of(handler_input)) is not None

    def handle(self, handler_input):
        what, _day, _index = screen_event(request_of(handler_input))
        if what == documents.NEXT:
            return guided.screen_next(handler_input, self.services)
        if what == documents.HURTS:
            return guided.guided_hurts(handler_input, self.services)
        place = visit_of(handler_input).state.guided or {}
        outcome = "partial" if place.get("skipped") else "done"
        return guided.guided_finish(handler_input, self.services, outcome, [Line("guided_finished")])
