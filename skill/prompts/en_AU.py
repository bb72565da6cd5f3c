"""Australian English: British dates and words ("bum", "programme"), with a local goodbye."""

from __future__ import annotations

from skill.prompts.en_GB import PROMPTS as GB

PROMPTS = GB.override(
    "en-AU",
    text={
        "disclaimer": "I'm not a substitute for professional medical advice. "
                      "For emergencies, call triple zero.",
        "goodbye": "Okay. Look after that hammy. Bye for now.",
    },
)
