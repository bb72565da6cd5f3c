"""ask-sdk's persistence seam: the skill's state kept in a `plans.state` store under the runner's
owner key (`plans.keys.owner_key`). The stores themselves live in `plans`, beside the plans they
share a database and a key with."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from plans.state import StateUnavailable

logger = logging.getLogger("skill.persistence")


class StatePersistenceAdapter(AbstractPersistenceAdapter):
    """ask-sdk's persistence seam over a state store, keyed by the runner's owner key.

    `owner_key_for(request_envelope)` gives the key (None when the request carries no user, or
    when no secret is configured; then nothing is kept). Reading never raises: a database that is
    down means a fresh start, which the runner hears as an ordinary welcome. Saving raises
    `StateUnavailable`, so the caller can log it and carry on."""

    def __init__(self, state_store, owner_key_for: Callable[[Any], str | None],
                 clock: Callable[[], dt.datetime]) -> None:
        self.state_store = state_store
        self.owner_key_for = owner_key_for
        self.clock = clock

    def get_attributes(self, request_envelope) -> dict[str, Any]:
        key = self.owner_key_for(request_envelope)
        if key is None:
            return {}
        try:
            return self.state_store.load(key) or {}
        except StateUnavailable as error:
            logger.warning("skill state not loaded, starting fresh: %s", error)
            return {}

    def save_attributes(self, request_envelope, attributes: Mapping[str, Any]) -> None:
        key = self.owner_key_for(request_envelope)
        if key is None:
            raise StateUnavailable("no owner key for this request")
        self.state_store.save(key, attributes, now=self.clock())

    def delete_attributes(self, request_envelope) -> None:
        key = self.owner_key_for(request_envelope)
        if key is not None:
            self.state_store.delete(key)
