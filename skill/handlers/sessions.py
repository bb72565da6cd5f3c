"""Later visits: "what's my session today" reads today's (or the next) session of the runner's
latest plan."""

from __future__ import annotations

from skill import conversation as talk
from skill.conversation import Turn
from skill.handlers.base import ConversationHandler, respond, visit_of


class TodaysSessionHandler(ConversationHandler):
    intents = ("TodaysSessionIntent",)

    def handle(self, handler_input):
        state = visit_of(handler_input).state
        return respond(handler_input, self.services, state, Turn(action=talk.ACTION_READ_SESSION))
