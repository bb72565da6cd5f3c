"""British English: US English with day-month dates and the words people say here."""

from __future__ import annotations

from skill.prompts.en_US import PROMPTS as US

PROMPTS = US.override(
    "en-GB",
    date_style="day_month",
    questions={"location": {
        "reprompt": "Is it the sit bone, low in your bum; the back of the thigh; or behind the knee?",
    }},
    text={
        "disclaimer": "I'm not a substitute for professional medical advice. "
                      "For emergencies, call nine nine nine.",
        "ask_weekdays": "Now, your programme. Which days suit you for your sessions? I suggest Monday, "
                        "Wednesday and Friday at seven in the morning. Say yes to keep those, or tell me "
                        "your days.",
        "ask_outcome": "Want to hear why, what to do today, or shall I make your programme?",
        "ask_brief_outcome": "Shall I make your programme now?",
        "goodbye": "Okay. Look after that hamstring. Goodbye.",
    },
)
