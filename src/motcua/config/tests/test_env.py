"""The environment-variable reader: typed values, clear one-line errors, _FILE secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.config.env import VARIABLES, ConfigError, read


def test_defaults_apply_when_nothing_is_set():
    assert read("MOTCUA_ENV", {}) == "development"
    assert read("MOTCUA_DEBUG", {}) is False
    assert read("MOTCUA_WEB_WORKERS", {}) == 2
    assert read("MOTCUA_ALLOWED_HOSTS", {}) == []


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert read("MOTCUA_DEBUG", {"MOTCUA_DEBUG": raw}) is expected


def test_lists_are_comma_separated_and_trimmed():
    value = read("MOTCUA_ALLOWED_HOSTS", {"MOTCUA_ALLOWED_HOSTS": " a.gov.vn, b.gov.vn ,"})
    assert value == ["a.gov.vn", "b.gov.vn"]


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("MOTCUA_ENV", "prod", "MOTCUA_ENV: 'prod' is not one of development, production"),
        ("MOTCUA_DEBUG", "maybe", "MOTCUA_DEBUG: 'maybe' is not a yes/no value"),
        ("MOTCUA_WEB_WORKERS", "two", "MOTCUA_WEB_WORKERS: 'two' is not a whole number"),
        ("MOTCUA_WEB_WORKERS", "-1", "MOTCUA_WEB_WORKERS: '-1' must not be negative"),
    ],
)
def test_bad_values_give_one_line_errors_naming_the_variable(name, raw, message):
    with pytest.raises(ConfigError) as error:
        read(name, {name: raw})
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_secrets_can_come_from_a_file(tmp_path: Path):
    secret = tmp_path / "key"
    secret.write_text("s3cr3t-from-file\n", encoding="utf-8")
    env = {"MOTCUA_SECRET_KEY_FILE": str(secret)}
    assert read("MOTCUA_SECRET_KEY", env) == "s3cr3t-from-file"


def test_a_missing_secret_file_is_a_clear_error(tmp_path: Path):
    env = {"MOTCUA_SECRET_KEY_FILE": str(tmp_path / "missing")}
    with pytest.raises(ConfigError, match="MOTCUA_SECRET_KEY_FILE: cannot read"):
        read("MOTCUA_SECRET_KEY", env)


def test_value_and_file_together_are_refused(tmp_path: Path):
    secret = tmp_path / "key"
    secret.write_text("x", encoding="utf-8")
    env = {"MOTCUA_SECRET_KEY": "y", "MOTCUA_SECRET_KEY_FILE": str(secret)}
    with pytest.raises(ConfigError, match="either"):
        read("MOTCUA_SECRET_KEY", env)


def test_every_variable_has_help_and_valid_default():
    for var in VARIABLES:
        assert var.help.strip(), var.name
        read(var.name, {})  # the default itself must parse
