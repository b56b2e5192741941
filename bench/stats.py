"""Percentiles of one run, and the median and spread of a figure over repetitions."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank on the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass(frozen=True)
class Spread:
    """A figure measured in several repetitions: its median, lowest and highest."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, unit: str = "", scale: float = 1, digits: int = 2) -> str:
        median, low, high = (value * scale for value in (self.median, self.low, self.high))
        return f"{median:.{digits}f}{unit} ({low:.{digits}f}-{high:.{digits}f})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"
