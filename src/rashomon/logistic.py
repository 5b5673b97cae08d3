"""A logistic regression over standardized features, read from shipped JSON.

The learned decisions of rashomon (same fact for two sentences, same story for two articles)
are small logistic models fitted by scripts under ``benchmarks/`` and shipped as JSON under
``rashomon/data`` (see its README): names, mean, scale, weights and bias. This is their one
reader; each caller names the features its code computes, and a file with other names is
refused rather than silently misread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from rashomon.nlp import FloatArray


@dataclass(frozen=True, slots=True, kw_only=True)
class Logistic:
    """Logistic model over standardized features."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias
        for x, m, s, w in zip(features, self.mean, self.scale, self.weights, strict=True):
            z += w * (x - m) / s
        return 1.0 / (1.0 + math.exp(-z))

    def probabilities(self, matrix: npt.NDArray[np.float64]) -> FloatArray:
        z = ((matrix - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights)
        return np.asarray(1.0 / (1.0 + np.exp(-(z + self.bias))), dtype=np.float32)


def read_logistic(text: str, names: Sequence[str], *, what: str) -> Logistic:
    """Read a model from JSON text; refuse one whose feature names are not ``names``.

    Args:
        text: the JSON of the model.
        names: the features the calling code computes, in its order.
        what: what the model is, for the error message ("pair model", "story model").
    """
    data = json.loads(text)
    given = tuple(data["names"])
    if given != tuple(names):
        raise ValueError(f"{what} features {given} do not match the code's {tuple(names)}")
    return Logistic(
        names=given,
        mean=tuple(data["mean"]),
        scale=tuple(data["scale"]),
        weights=tuple(data["weights"]),
        bias=float(data["bias"]),
    )


def load_logistic(
    filename: str, names: Sequence[str], *, what: str, text: str | None = None
) -> Logistic:
    """Read a shipped model from ``rashomon/data/<filename>``, or one given as JSON text."""
    if text is None:
        text = resources.files("rashomon").joinpath("data", filename).read_text("utf-8")
    return read_logistic(text, names, what=what)
