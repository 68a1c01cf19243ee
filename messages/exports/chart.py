"""The timeline (Gantt) of a plan's windows as PNG: one picture per plan, sent as a document.

Sections are bands with their titles; each item is a row labelled with its number and its
title on at most two lines; bars are coloured by status, hatched when the date is
tentative, outlined in red when late; today is a blue line; the time axis spans the
plan's own period. Built on matplotlib's object API with the Agg canvas, never pyplot:
no global figure state, safe in a worker thread.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from messages.formatting import LOCALE, STATUS_LABELS
from models.reports.exports import ExportData, ExportPlan

STATUS_COLOURS = {
    "planned": "#9DB4CF",
    "in_progress": "#F2B134",
    "done": "#4CAF50",
    "postponed": "#B07CC6",
    "cancelled": "#B0B0B0",
}
OVERDUE_EDGE = "#D32F2F"
TODAY_COLOUR = "#1565C0"
UNDATED_COLOUR = "#757575"
SPILL_COLOUR = "#37474F"
SECTION_BANDS = ("#F4F6F9", "#FFFFFF")
#: Inches per item row (two lines of 9-point text) and per section title row.
ROW_INCHES = 0.42
SECTION_INCHES = 0.36
WIDTH_INCHES = 16.0
DPI = 130
#: Characters per label line; a label is at most two lines.
LABEL_CHARS = 46
TITLE_CHARS = 105


@dataclass(frozen=True)
class ChartRow:
    """One item: its label, the windows drawn, its status and whether it is late."""

    label: str
    windows: tuple[tuple[date, date], ...]
    status: str
    overdue: bool
    tentative: bool
    section: str = ""


def item_label(number: str, title: str, width: int = LABEL_CHARS) -> str:
    """«1.1 Контракты …» on at most two lines; the number first, so that items whose titles
    begin alike are told apart."""
    lines = textwrap.wrap(f"{number} {' '.join(title.split())}", width) or [number]
    if len(lines) > 2:
        second = lines[1]
        lines = [lines[0], (second if len(second) < width else second[: width - 1]) + "…"]
    return "\n".join(lines)


def chart_rows(data: ExportData) -> list[ChartRow]:
    """A row per current item of every plan in `data`, in plan order."""
    return [row for plan in data.plans for row in plan_rows(plan)]


def plan_rows(plan: ExportPlan) -> list[ChartRow]:
    """A row per current item of one plan, in plan order."""
    rows = []
    for item in plan.items:
        windows = set(item.printed_windows)
        for agency in item.agencies:
            windows.update(agency.windows)
        rows.append(
            ChartRow(
                label=item_label(item.number, item.title),
                windows=tuple(sorted(windows)),
                status=item.status.value,
                overdue=item.overdue,
                tentative=item.tentative,
                section=item.section,
            )
        )
    return rows


def build_figure(
    rows: list[ChartRow],
    *,
    today: date,
    title: str = "",
    period: tuple[date, date] | None = None,
) -> Figure:
    """The figure: a band per section (its title on its own row), a row per item."""
    layout = _layout(rows)
    sections = sum(1 for kind, _ in layout if kind == "section")
    height = 2.2 + ROW_INCHES * max(len(rows), 1) + SECTION_INCHES * sections
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    axes = figure.add_subplot()
    start, end = _x_range(rows, period, today)
    spills = False
    ticks, labels = [], []
    y = 0.0
    band = 0
    for index, (kind, entry) in enumerate(layout):
        if kind == "section":
            band_rows = _band_size(layout, index)
            top, bottom = y - 0.5, y + band_rows + 0.5
            axes.axhspan(top, bottom, color=SECTION_BANDS[band % 2], zorder=0, linewidth=0)
            if band:
                axes.axhline(top, color="#8A94A6", linewidth=0.8, zorder=1)
            axes.text(
                start, y, f" {entry}", va="center", ha="left", fontsize=9.5, weight="bold",
                color="#22324A", zorder=3,
            )  # fmt: skip
            band += 1
            y += 1
            continue
        assert isinstance(entry, ChartRow)
        _draw_row(axes, y, entry, today, start)
        spills |= _mark_spill(axes, y, entry, start, end)
        ticks.append(y)
        labels.append(entry.label)
        y += 1
    axes.set_yticks(ticks, labels, fontsize=9)
    axes.set_ylim(max(y, 1) - 0.5, -0.5)
    if start <= date2num(today) <= end:
        axes.axvline(date2num(today), color=TODAY_COLOUR, linewidth=1.4, linestyle="--", zorder=4)
    axes.set_xlim(start, end)
    axes.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=14))
    axes.xaxis.set_major_formatter(FuncFormatter(_month_label))
    axes.xaxis.tick_top()
    axes.tick_params(axis="x", labelsize=9)
    axes.grid(axis="x", color="#D5D9E0", linewidth=0.6)
    axes.set_axisbelow(True)
    if title:
        # On the axes, not the figure: placed above the top tick labels, never over them.
        axes.set_title(_title_lines(title), loc="left", fontsize=11, pad=10)
    axes.legend(
        handles=_legend(spills=spills),
        loc="upper left",
        bbox_to_anchor=(0, -0.01),
        ncol=5,
        fontsize=9,
        frameon=False,
    )
    figure.tight_layout()
    return figure


def _title_lines(title: str) -> str:
    """The plan's title on at most two lines as wide as the plot."""
    lines = textwrap.wrap(" ".join(title.split()), TITLE_CHARS)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: TITLE_CHARS - 1] + "…"]
    return "\n".join(lines)


def _layout(rows: list[ChartRow]) -> list[tuple[str, object]]:
    """Rows in order, a section title before each run of items of one section."""
    layout: list[tuple[str, object]] = []
    current: str | None = None
    for row in rows:
        if row.section and row.section != current:
            layout.append(("section", row.section))
        current = row.section
        layout.append(("item", row))
    return layout


def _band_size(layout: list[tuple[str, object]], index: int) -> int:
    """How many item rows follow the section title at `index` (up to the next section)."""
    count = 0
    for kind, _ in layout[index + 1 :]:
        if kind == "section":
            break
        count += 1
    return count


def _draw_row(axes: Axes, y: float, row: ChartRow, today: date, left: float) -> None:
    colour = STATUS_COLOURS.get(row.status, STATUS_COLOURS["planned"])
    if not row.windows:
        axes.plot([left], [y], marker="D", color=UNDATED_COLOUR, markersize=6, clip_on=False)
        axes.text(left, y, "    дата не определена", va="center", fontsize=8, color=UNDATED_COLOUR)
        return
    # Only the windows that already ended are outlined as late; later ones are not.
    late = [w for w in row.windows if row.overdue and w[1] < today]
    for windows, edge, width in (
        ([w for w in row.windows if w not in late], "#555555", 0.4),
        (late, OVERDUE_EDGE, 2.0),
    ):
        if windows:
            axes.broken_barh(
                [(date2num(s), date2num(e + timedelta(days=1)) - date2num(s)) for s, e in windows],
                (y - 0.32, 0.64),
                facecolors=colour,
                edgecolors=edge,
                linewidth=width,
                hatch="///" if row.tentative else None,
                zorder=2,
            )


def _mark_spill(axes: Axes, y: float, row: ChartRow, left: float, right: float) -> bool:
    """An arrow at the edge where a window runs on beyond the plan's period; True if any."""
    before = any(date2num(s) < left for s, _ in row.windows)
    after = any(date2num(e + timedelta(days=1)) > right for _, e in row.windows)
    for edge, marker, shown in ((left, "<", before), (right, ">", after)):
        if shown:
            axes.plot([edge], [y], marker=marker, color=SPILL_COLOUR, markersize=7, clip_on=False)
    return before or after


def _month_label(value: float, _position: int) -> str:
    """«мар. 2026»: Russian month abbreviations from babel."""
    return format_date(num2date(value).date(), "LLL y", locale=LOCALE)


def _x_range(
    rows: list[ChartRow], period: tuple[date, date] | None, today: date
) -> tuple[float, float]:
    """The plan's own period (windows running beyond it are cut at its edges); without a
    period, the windows' span and today."""
    if period is not None:
        days = list(period)
    else:
        days = [d for row in rows for w in row.windows for d in w] or [today]
    start, end = min(days), max(days) + timedelta(days=1)
    margin = max((end - start).days // 80, 2)
    return date2num(start - timedelta(days=margin)), date2num(end + timedelta(days=margin))


def _legend(*, spills: bool = False) -> list[Artist]:
    """A legend entry for every mark the chart draws."""
    handles: list[Artist] = [
        Patch(facecolor=c, edgecolor="#555555", label=STATUS_LABELS[s])
        for s, c in STATUS_COLOURS.items()
    ]
    handles += [
        Patch(facecolor="white", edgecolor="#555555", hatch="///", label="Дата предварительная"),
        Patch(facecolor="white", edgecolor=OVERDUE_EDGE, linewidth=2, label="Просрочено"),
        Line2D([], [], color=TODAY_COLOUR, linestyle="--", linewidth=1.4, label="Сегодня"),
        Line2D([], [], color=UNDATED_COLOUR, marker="D", linestyle="", label="Дата не определена"),
    ]
    if spills:
        label = "Срок выходит за период плана"
        handles.append(Line2D([], [], color=SPILL_COLOUR, marker=">", linestyle="", label=label))
    return handles


def plan_png(plan: ExportPlan) -> bytes:
    """One plan's timeline as PNG bytes."""
    figure = build_figure(plan_rows(plan), today=plan.today, title=plan.title, period=plan.period)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def chart_pngs(data: ExportData) -> list[tuple[ExportPlan, bytes]]:
    """A picture per plan in `data`."""
    return [(plan, plan_png(plan)) for plan in data.plans]


def chart_png(data: ExportData, *, title: str = "") -> bytes:
    """The timeline of every item in `data` as one picture (prefer `chart_pngs`: one per
    plan)."""
    today = min((plan.today for plan in data.plans), default=data.now.date())
    period = data.plans[0].period if len(data.plans) == 1 else None
    figure = build_figure(chart_rows(data), today=today, title=title, period=period)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
