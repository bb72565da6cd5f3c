"""Indian English: British dates and spelling; "buttock" rather than "bum"."""

from __future__ import annotations

from rehab.questions import question
from skill.prompts.en_GB import PROMPTS as GB

PROMPTS = GB.override(
    "en-IN",
    questions={"location": {"reprompt": question("location").reprompt}},
    text={"disclaimer": "I'm not a substitute for professional medical advice. "
                        "For emergencies, call one one two."},
)
