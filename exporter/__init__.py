"""The plan service: the Flask app (pages, JSON API, PDF and calendar) and the plan store.

Nothing here imports Flask: the skill on AWS Lambda imports `exporter.store` alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask application (see exporter.app.create_app)."""
    from exporter.app import create_app as _create_app

    return _create_app(test_config)


__all__ = ["create_app"]
