"""The sentence encoder's numeric format: the `numeric` setting and the choice from CPU flags."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import rashomon.backends as backends
from rashomon.backends import SentenceEmbedder, choose_numeric, load_sentence_model
from rashomon.errors import ConfigError
from rashomon.settings import NUMERIC_FORMATS, Settings, load_settings

AMX = frozenset({"fpu", "avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"})
AVX512_BF16_ONLY = frozenset({"fpu", "avx2", "avx512f", "avx512_bf16"})
PLAIN = frozenset({"fpu", "avx2"})


@pytest.mark.parametrize(
    ("setting", "flags", "chosen"),
    [
        ("auto", AMX, "bf16"),
        ("auto", AVX512_BF16_ONLY, "fp32"),  # bf16 without AMX tiles is slower than fp32
        ("auto", PLAIN, "fp32"),
        ("auto", frozenset(), "fp32"),  # /proc/cpuinfo unreadable
        ("fp32", AMX, "fp32"),
        ("bf16", PLAIN, "bf16"),
        ("bf16", AMX, "bf16"),
    ],
)
def test_the_format_follows_the_setting_then_the_cpu(
    setting: str, flags: frozenset[str], chosen: str
) -> None:
    assert choose_numeric(setting, flags) == chosen


def test_a_bad_format_is_a_config_error_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"numeric = 'fp16'.*auto, fp32, bf16"):
        choose_numeric("fp16", PLAIN)
    with pytest.raises(ConfigError, match=r"numeric = 'fp16'.*auto, fp32, bf16"):
        Settings(numeric="fp16")
    with pytest.raises(ConfigError, match="numeric = 'int8'"):
        load_settings(env={"RASHOMON_NUMERIC": "int8"})


def test_the_environment_sets_the_format() -> None:
    assert load_settings(env={}).numeric == "auto"
    assert load_settings(env={"RASHOMON_NUMERIC": "bf16"}).numeric == "bf16"


def test_cpu_flags_reads_the_flags_line(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 amx_tile amx_bf16\nbugs\t: x\n")
    real_open = open
    monkeypatch.setattr(
        "builtins.open",
        lambda f, *a, **k: real_open(info if f == "/proc/cpuinfo" else f, *a, **k),
    )
    assert backends.cpu_flags() == frozenset({"fpu", "avx2", "amx_tile", "amx_bf16"})


SENTENCES = [
    "The ferry to Quillan Island was cancelled on Tuesday because of high winds.",
    "Officials in Marrowgate said the new bridge would open in the spring.",
    "A fire at the Tessby grain depot destroyed two warehouses overnight.",
    "The Velmont city council voted seven to two to raise parking fees.",
]


@pytest.mark.models
def test_bf16_and_fp32_give_the_same_vectors(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="rashomon.backends"):
        fp32 = SentenceEmbedder(numeric="fp32").encode(SENTENCES)
        bf16 = SentenceEmbedder(numeric="bf16").encode(SENTENCES)
    assert "in fp32 (numeric setting: fp32)" in caplog.text
    assert "in bf16 (numeric setting: bf16)" in caplog.text
    import torch

    weights = {
        fmt: next(load_sentence_model(None, fmt).parameters()).dtype  # type: ignore[attr-defined]
        for fmt in ("fp32", "bf16")
    }
    assert weights == {"fp32": torch.float32, "bf16": torch.bfloat16}
    assert fp32.dtype == bf16.dtype == np.float32  # the vectors come back as float32 either way
    # unit length in both formats: downstream a cosine is a dot product
    assert np.allclose(np.linalg.norm(bf16, axis=1), 1.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(fp32, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(fp32 * bf16, axis=1)
    assert cosines.min() >= 0.999
    assert not np.array_equal(fp32, bf16)  # the format did change


def test_the_cli_choices_are_the_settings_formats() -> None:
    from rashomon.cli import Numeric

    assert tuple(f.value for f in Numeric) == NUMERIC_FORMATS


def test_the_numeric_flag_reaches_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from rashomon import pipeline
    from rashomon.cli import app

    seen: list[str] = []

    class Stop(Exception):
        pass

    def no_models(inputs: object, *, settings: Settings, **kwargs: object) -> object:
        seen.append(settings.numeric)
        raise Stop

    monkeypatch.setattr(pipeline, "run_compare", no_models)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASHOMON_NUMERIC", raising=False)
    runner = CliRunner()
    flagged = runner.invoke(app, ["compare", "a.txt", "b.txt", "--numeric", "bf16"])
    assert isinstance(flagged.exception, Stop)
    monkeypatch.setenv("RASHOMON_NUMERIC", "fp32")
    assert isinstance(runner.invoke(app, ["compare", "a.txt", "b.txt"]).exception, Stop)
    assert seen == ["bf16", "fp32"]
    bad = runner.invoke(app, ["compare", "a.txt", "b.txt", "--numeric", "fp16"])
    assert bad.exit_code == 2
    assert "fp16" in bad.output
    assert len(seen) == 2
