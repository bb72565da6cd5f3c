"""Before every handler: the prompts for the runner's locale and the conversation so far.
After every handler: the conversation written back, to the session and (when it changed) to the
runner's stored state, so a dropped session, a Stop or a crash loses no answer.

Where the conversation comes from: within a session, Alexa hands back our session attributes;
at the start of a session, the stored state (keyed by the runner's owner key). A state store
that cannot be read means a fresh start; one that cannot be written is logged (by exception type
only) and retried on the next turn, while the conversation carries on.
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor

from skill import conversation as talk
from skill.conversation import State
from skill.handlers.base import (
    PERSISTED_STATE,
    SESSION_STATE,
    SESSION_UNSAVED,
    VISIT,
    Services,
    Visit,
    locale_prompts,
    save_visit,
)

logger = logging.getLogger("skill")


def user_id_of(envelope) -> str | None:
    system = getattr(getattr(envelope, "context", None), "system", None)
    user = getattr(system, "user", None) or getattr(getattr(envelope, "session", None), "user", None)
    user_id = getattr(user, "user_id", None)
    return user_id if isinstance(user_id, str) and user_id else None


class LoadConversation(AbstractRequestInterceptor):
    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input) -> None:
        visit = load_visit(handler_input, self.services)
        handler_input.attributes_manager.request_attributes[VISIT] = visit


def load_visit(handler_input, services: Services) -> Visit:
    envelope = handler_input.request_envelope
    manager = handler_input.attributes_manager
    prompts = locale_prompts(handler_input)
    user_id = user_id_of(envelope)
    owner_key = services.owner_key(user_id) if user_id else None

    session = envelope.session
    carried = getattr(session, "attributes", None)
    if session is not None and not session.new and isinstance(carried, dict) and SESSION_STATE in carried:
        state = State.from_attributes(carried[SESSION_STATE])
        unsaved = carried.get(SESSION_UNSAVED) is True
        saved = None if unsaved else state.to_attributes(with_mode=False)
        return Visit(prompts=prompts, state=state, saved=saved, unsaved=unsaved, owner_key=owner_key)

    stored = manager.persistent_attributes if owner_key is not None else {}
    state = State.from_attributes(stored.get(PERSISTED_STATE) if isinstance(stored, dict) else None)
    saved = state.to_attributes(with_mode=False)
    if session is None or session.new:
        state = talk.new_visit(state)
    return Visit(prompts=prompts, state=state, saved=saved, owner_key=owner_key)


class SaveConversation(AbstractResponseInterceptor):
    def process(self, handler_input, response) -> None:
        save_visit(handler_input)
