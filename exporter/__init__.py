"""The web adapter: the Flask app (pages, JSON API, PDF and calendar, and `POST /alexa` mounted
from the skill). It parses requests, calls `plans.service`, and maps results and errors to HTTP.
"""

from __future__ import annotations

from exporter.app import create_app

__all__ = ["create_app"]
