"""Start-up with good and bad configuration, as an operator meets it (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def motcua(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean["MOTCUA_DATA_DIR"] = str(tmp_path)
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "motcua.config.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL: unsupported or malformed"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL: unsupported or malformed ('mysql')"),
        ({"DATABASE_URL": "postgres://u@h:notaport/db"}, "DATABASE_URL: cannot be parsed"),
        (
            {"DATABASE_URL": "postgres://u@h:5432"},
            "DATABASE_URL: the PostgreSQL URL names no database",
        ),
        ({"MOTCUA_ENV": "prod"}, "MOTCUA_ENV: 'prod' is not one of development, production"),
        ({"MOTCUA_CACHE_URL": "memcached://x"}, "MOTCUA_CACHE_URL: 'memcached://x' is not a redis"),
        (
            {"MOTCUA_SITE_URL": "dichvucong.gov.vn"},
            "MOTCUA_SITE_URL: 'dichvucong.gov.vn' must start",
        ),
        ({"MOTCUA_ENV": "production"}, "MOTCUA_SECRET_KEY: production needs its own secret key"),
        (
            {"MOTCUA_ENV": "production", "MOTCUA_SECRET_KEY": "x" * 60, "MOTCUA_DEBUG": "1"},
            "MOTCUA_DEBUG: debug pages must be off in production",
        ),
        (
            {"MOTCUA_ENV": "production", "MOTCUA_SECRET_KEY": "x" * 60},
            "MOTCUA_ALLOWED_HOSTS: production needs the site's host names",
        ),
    ],
)
def test_bad_configuration_stops_with_one_clear_line(env, message, tmp_path):
    result = motcua("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("motcua: configuration error: " + message), lines[0]


def test_a_good_production_configuration_starts(tmp_path):
    env = {
        "MOTCUA_ENV": "production",
        "MOTCUA_SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
        "MOTCUA_ALLOWED_HOSTS": "dichvucong.angiang.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
    }
    result = motcua("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
