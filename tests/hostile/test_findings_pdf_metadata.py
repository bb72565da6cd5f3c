"""Issue 14, finding 8: a PDF's metadata is shown without opening it (file managers, mail
previews, search indexes, a printer's job list), so it must not say what the runner has: the
title, subject and keywords are the same neutral words for every plan."""

from __future__ import annotations

import io

import pypdf
import pytest

from exporter import wording

ANSWERS = {
    "gradual": {
        "location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no", "bruising": "no",
        "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
        "hinge_test": "no", "heel_press_test": "no", "pain_score": 3, "training_change": "yes",
    },
    "sudden": {
        "location": "back_of_thigh", "onset": "sudden", "days_since": 3, "pop": "no", "bruising": "no",
        "pain_walking": "yes", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "yes",
        "hinge_test": "yes", "heel_press_test": "yes", "pain_score": 5, "training_change": "no",
    },
}
HEALTH_WORDS = ("strain", "tear", "tendin", "tight", "injur", "pain", "rehab", "refer", "grade", "sprain")


@pytest.mark.parametrize("answers", ANSWERS.values(), ids=ANSWERS)
def test_the_pdf_metadata_names_no_assessment(client, answers):
    created = client.post("/api/plans", json={"answers": answers})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    token, category = body["token"], body["assessment"]["category"]
    plan = client.get(f"/api/plans/{token}").get_json()

    response = client.get(f"/plans/{token}.pdf")
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    metadata = {key: str(value) for key, value in (reader.metadata or {}).items()}
    assert metadata["/Title"] == "Hamstring Coach plan"
    shown = " ".join(metadata.values()).lower()
    assert wording.CATEGORY_NAMES[category].lower() not in shown
    assert plan["programme"]["title"].lower() not in shown
    assert not [word for word in HEALTH_WORDS if word in shown], metadata
