"""Canadian English: US dates (Monday, March 2) and the same words as the US."""

from __future__ import annotations

from skill.prompts.en_US import PROMPTS as US

PROMPTS = US.override("en-CA", text={"goodbye": "Okay. Take care of that hamstring. Bye for now."})
