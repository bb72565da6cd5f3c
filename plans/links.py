"""Every address of a plan, built in one place from the public base URL (COACH_BASE_URL): the
page, its PDF and calendar, the calendar as a `webcal://` subscription, and the short `/c/<code>`
address printed beside the QR code. The skill's card, the API, the pages and the PDF all use these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanAddresses:
    page: str
    pdf: str
    ics: str
    webcal: str


def plan_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/plans/{token}"


def plan_addresses(base_url: str, token: str) -> PlanAddresses:
    page = plan_url(base_url, token)
    ics = f"{page}.ics"
    return PlanAddresses(page=page, pdf=f"{page}.pdf", ics=ics, webcal="webcal://" + ics.split("://", 1)[1])


def short_code_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/c/{code}"
