"""The plans: where every runner's plan is kept and changed, and the only writer of it.

`plans.service` is what the adapters (the skill, the web service, the CLI) call: file a plan,
read it, delete it, purge old ones; each call one transaction. `plans.store` keeps plans on SQLite
or PostgreSQL (SQLAlchemy, schema by Alembic in `plans/migrations`); `plans.state` keeps the
skill's unfinished conversations on plain DB-API for a cheap Lambda cold start; `plans.keys` and
`plans.codes` hold the secrets' arithmetic (tokens, owner keys, short codes, sealing).

`plans` imports `rehab` and nothing above it: no Flask, no ask-sdk (pinned by import-linter).
Nothing here is imported at package import time, so `import plans.state` stays cheap.
"""
