"""The skill's handlers, one class per intent family (registered, in order, in skill.build)."""
