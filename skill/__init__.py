"""The voice adapter: Alexa requests in, the triage conversation, spoken answers out.

Kept empty of imports so `skill.lambda_function` (and `skill.envelopes` in tests) load only what
they name. Start at `skill.build` (assembly), `skill.conversation` (the state machine) and
`skill.handlers` (one class per intent family).
"""
