"""'Delete my data': confirm first, then remove the runner's plans, codes and stored state."""

from __future__ import annotations

from skill import conversation as talk
from skill.handlers.base import ConversationHandler, respond, visit_of


class DeleteMyDataHandler(ConversationHandler):
    intents = ("DeleteMyDataIntent",)

    def handle(self, handler_input):
        state, turn = talk.ask_delete(visit_of(handler_input).state)
        return respond(handler_input, self.services, state, turn)
