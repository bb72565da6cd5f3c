"""'What's my code': the plan code again, at any time, also as a one-shot ("ask Hamstring Coach
what's my code").

Within the visit that filed the plan the code is still in the session, so it is said again as it
was. Later the skill holds no token, so `plans.service` re-issues the runner's newest plan a fresh
code by owner key, under the plan's own token: the link and the calendar feed stay as they were,
and the card carries both. Only a plan kept before its token was gets a new link, and then the
runner is told plainly that the old one no longer works.
"""

from __future__ import annotations

import logging

from ask_sdk_model.ui import SimpleCard

from plans.codes import grouped, last_day
from plans.links import plan_url
from skill import conversation as talk
from skill.handlers.base import ConversationHandler, respond, visit_of

logger = logging.getLogger("skill")


class WhatsMyCodeHandler(ConversationHandler):
    intents = ("WhatsMyCodeIntent",)

    def handle(self, handler_input):
        visit = visit_of(handler_input)
        state, turn = talk.code_asked(visit.state)
        if turn.action == talk.ACTION_READ_CODE:
            state, turn = self._reissue(handler_input, state)
        return respond(handler_input, self.services, state, turn)

    def _reissue(self, handler_input, state):
        visit = visit_of(handler_input)
        if visit.owner_key is None:
            return talk.no_code(state, "no_plan_yet")
        from plans.service import reissue_code_for_owner  # the store: only on this turn

        try:
            issued = reissue_code_for_owner(self.services.store(), visit.owner_key, now=self.services.clock())
        except Exception as error:  # the database is away: say so, claim nothing
            logger.warning("code not re-issued (%s)", type(error).__name__)
            return talk.no_code(state, "plan_unreachable")
        if issued is None:
            return talk.no_code(state, "no_plan_yet")
        prompts = visit.prompts
        expires = prompts.date(last_day(issued.expires_at, issued.timezone))
        card = "\n\n".join([
            prompts.say("card_code", code=grouped(issued.code), expires=expires),
            prompts.say("card_link", url=plan_url(self.services.base_url(), issued.token)),
            prompts.say("card_disclaimer"),
        ])
        handler_input.response_builder.set_card(SimpleCard(title=prompts.say("card_title"), content=card))
        return talk.code_read(state, issued.code, reissued=issued.new_link)
