"""What a scenario reports (tables, targets, a plot), and bench/RESULTS.md with its PNGs.

Each scenario returns a Section; `write` turns the sections into RESULTS.md and one PNG per
section under bench/results/, `markdown` gives the same text without touching the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in self.rows])


@dataclass
class Target:
    """One target of the issue: what it asks, what was measured, and whether it is met."""

    goal: str
    measured: str
    met: bool | None  # None: not measured in this run

    def row(self) -> list[str]:
        verdict = {True: "**met**", False: "**not met**", None: "not measured"}[self.met]
        return [self.goal, self.measured, verdict]


@dataclass
class Panel:
    """One chart: bars (labels, values with low-high error bars) or lines (x, series)."""

    title: str
    ylabel: str
    labels: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    lows: list[float] = field(default_factory=list)
    highs: list[float] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    xlabel: str = ""
    series: dict[str, list[float]] = field(default_factory=dict)
    log: bool = False


@dataclass
class Section:
    key: str
    title: str
    text: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)

    def markdown(self, plot: str | None = None) -> str:
        parts = [f"## {self.title}", self.text.strip()]
        parts += [table.markdown() for table in self.tables]
        if self.targets:
            parts.append(Table(["target", "measured", "verdict"], [t.row() for t in self.targets]).markdown())
        if plot:
            parts.append(f"![{self.title}]({plot})")
        return "\n\n".join(parts)


def markdown(header: str, sections: list[Section], plots: dict[str, str] | None = None) -> str:
    summary = Table(
        ["scenario", "target", "measured", "verdict"],
        [[s.title, *t.row()] for s in sections for t in s.targets],
    )
    body = [s.markdown((plots or {}).get(s.key)) for s in sections]
    return "\n\n".join([header.strip(), "## Targets", summary.markdown(), *body]) + "\n"


def write(path: Path, header: str, sections: list[Section]) -> None:
    plots_dir = path.parent / "results"
    plots_dir.mkdir(parents=True, exist_ok=True)
    plots = {}
    for section in sections:
        if section.panels:
            name = f"{section.key}.png"
            plot(section, plots_dir / name)
            plots[section.key] = f"results/{name}"
    path.write_text(markdown(header, sections, plots))


def plot(section: Section, path: Path) -> None:
    figure, axes = plt.subplots(
        1, len(section.panels), figsize=(6.5 * len(section.panels), 4.5), squeeze=False
    )
    for axis, panel in zip(axes[0], section.panels, strict=True):
        if panel.series:
            for name, values in panel.series.items():
                axis.plot(panel.x, values, marker="o", label=name)
            axis.set_xlabel(panel.xlabel)
            axis.legend(fontsize="small")
        else:
            errors = None
            if panel.lows:  # a panel of single figures (e.g. the least of repetitions) has none
                errors = [
                    [v - lo for v, lo in zip(panel.values, panel.lows, strict=True)],
                    [hi - v for v, hi in zip(panel.values, panel.highs, strict=True)],
                ]
            axis.bar(panel.labels, panel.values, yerr=errors, capsize=3)
            axis.tick_params(axis="x", labelrotation=30, labelsize="small")
            for tick in axis.get_xticklabels():
                tick.set_horizontalalignment("right")
        if panel.log:
            axis.set_yscale("log")
        axis.set_title(panel.title, fontsize="medium")
        axis.set_ylabel(panel.ylabel)
        axis.grid(axis="y", alpha=0.3)
    figure.suptitle(section.title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
