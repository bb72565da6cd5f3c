"""Indian English: British dates and spelling; "buttock" rather than "bum"."""

from __future__ import annotations

from skill.prompts.en_GB import PROMPTS as GB
from skill.prompts.en_US import TEXT as US_TEXT

PROMPTS = GB.override("en-IN", text={"guide_location": US_TEXT["guide_location"]})
