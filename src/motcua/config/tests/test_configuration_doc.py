"""docs/configuration.md documents every variable MotCua reads, and only those."""

from __future__ import annotations

import re
from pathlib import Path

from motcua.config.env import VARIABLES, markdown

ROOT = Path(__file__).resolve().parents[4]


def test_the_configuration_reference_is_up_to_date():
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed.strip() == markdown().strip(), "run `make docs` and commit the result"


def test_every_variable_read_in_the_code_is_declared():
    declared = {v.name for v in VARIABLES}
    used: set[str] = set()
    for path in (ROOT / "src" / "motcua").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"(?:read(?:_\w+)?|_redis_url)\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
    assert used <= declared
    assert declared <= used, f"declared but never read: {sorted(declared - used)}"
