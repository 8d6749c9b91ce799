"""The API health probe and the committed OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from motcua.api.urls import api

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
def test_health_reports_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] in {"sqlite", "postgresql"}


def test_the_committed_openapi_document_matches_the_code():
    committed = json.loads((ROOT / "docs" / "api" / "openapi.json").read_text(encoding="utf-8"))
    current = json.loads(json.dumps(api.get_openapi_schema()))  # JSON keys are strings
    assert committed == current, "run `make docs` and commit docs/api/openapi.json"


def test_the_api_docs_page_uses_no_third_party_assets(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in html
    assert "unpkg" not in html
