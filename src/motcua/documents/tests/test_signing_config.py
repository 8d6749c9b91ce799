"""Signing configuration as an operator meets it: refused demo keys in production, bad paths."""

from __future__ import annotations

import pytest

from motcua.config.tests.test_startup import motcua

PRODUCTION = {
    "MOTCUA_ENV": "production",
    "MOTCUA_SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
    "MOTCUA_ALLOWED_HOSTS": "dichvucong.angiang.gov.vn",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**PRODUCTION, "MOTCUA_SIGNING_DEMO_CA": "true"},
            "MOTCUA_SIGNING_DEMO_CA: the test stand-in cannot be enabled in production",
        ),
        (
            {"MOTCUA_SIGNING_PKCS12_FILE": "/nonexistent/tinh.p12"},
            "MOTCUA_SIGNING_PKCS12_FILE: '/nonexistent/tinh.p12' is not a file",
        ),
        (
            {"MOTCUA_SIGNING_PKCS12_DIR": "/nonexistent"},
            "MOTCUA_SIGNING_PKCS12_DIR: '/nonexistent' is not a folder",
        ),
    ],
)
def test_bad_signing_configuration_stops_with_one_clear_line(env, message, tmp_path):
    result = motcua("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("motcua: configuration error: " + message), lines[0]


def test_pkcs12_certificates_need_their_trust_roots(tmp_path):
    p12 = tmp_path / "tinh.p12"
    p12.write_bytes(b"not checked at start-up")
    result = motcua("check", env={"MOTCUA_SIGNING_PKCS12_FILE": str(p12)}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "MOTCUA_SIGNING_TRUST_ROOTS: name the CA certificates" in result.stderr
