"""The clinical core: what is asked (questions), what is decided (triage), what is prescribed
(exercises, programme). Data and pure functions; imports the standard library and pydantic only.

`rehab.questions` imports no pydantic at all, so the voice skill can ask its first question
without paying for it on a cold start.
"""
