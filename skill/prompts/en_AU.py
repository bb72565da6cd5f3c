"""Australian English: British dates and words, with a local goodbye."""

from __future__ import annotations

from skill.prompts.en_GB import PROMPTS as GB

PROMPTS = GB.override(
    "en-AU",
    text={
        "goodbye": "Okay. Look after that hammy. Bye for now.",
        "guide_location": "Tell me where it hurts most: the sit bone, low in your bum; the back of the "
                          "thigh; or behind the knee.",
    },
)
