"""The timeline (Gantt) of a plan's windows as PNG: a row per item, coloured by status.

Built on matplotlib's object API with the Agg canvas, never pyplot: no global figure
state, safe in a worker thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from messages.formatting import LOCALE, STATUS_LABELS
from models.export_data import ExportData

STATUS_COLOURS = {
    "planned": "#9DB4CF",
    "in_progress": "#F2B134",
    "done": "#4CAF50",
    "postponed": "#B07CC6",
    "cancelled": "#B0B0B0",
}
OVERDUE_EDGE = "#D32F2F"
ROW_INCHES = 0.28
LABEL_CHARS = 55
TITLE_CHARS = 120


@dataclass(frozen=True)
class ChartRow:
    """One item: its label, the windows drawn, its status and whether it is late."""

    label: str
    windows: tuple[tuple[date, date], ...]
    status: str
    overdue: bool
    tentative: bool


def chart_rows(data: ExportData) -> list[ChartRow]:
    """A row per current item of every plan in `data`, in plan order."""
    rows = []
    for plan in data.plans:
        for item in plan.items:
            windows = set(item.printed_windows)
            for agency in item.agencies:
                windows.update(agency.windows)
            label = f"{item.number} {item.title}"
            if len(label) > LABEL_CHARS:
                label = label[: LABEL_CHARS - 1] + "…"
            rows.append(
                ChartRow(
                    label=label,
                    windows=tuple(sorted(windows)),
                    status=item.status.value,
                    overdue=item.overdue,
                    tentative=item.tentative,
                )
            )
    return rows


def build_figure(rows: list[ChartRow], *, today: date, title: str = "") -> Figure:
    """The figure: one horizontal row per entry of `rows` (top to bottom), today's line."""
    figure = Figure(figsize=(13, 1.6 + ROW_INCHES * max(len(rows), 1)), dpi=100)
    axes = figure.add_subplot()
    for index, row in enumerate(rows):
        _draw_row(axes, index, row, today)
    axes.set_yticks(range(len(rows)), [row.label for row in rows], fontsize=8)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.axvline(date2num(today), color=OVERDUE_EDGE, linewidth=1.2, linestyle="--")
    axes.set_xlim(*_x_range(rows, today))
    axes.xaxis.set_major_locator(AutoDateLocator(maxticks=12))
    axes.xaxis.set_major_formatter(FuncFormatter(_month_label))
    axes.xaxis.tick_top()
    axes.grid(axis="x", color="#E0E0E0", linewidth=0.6)
    axes.set_axisbelow(True)
    if title:
        short = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
        figure.suptitle(short, x=0.01, ha="left", fontsize=10)
    axes.legend(
        handles=_legend(),
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncol=6,
        fontsize=7,
        frameon=False,
    )
    figure.tight_layout()
    return figure


def _draw_row(axes: object, index: int, row: ChartRow, today: date) -> None:
    colour = STATUS_COLOURS.get(row.status, STATUS_COLOURS["planned"])
    if not row.windows:
        axes.text(date2num(today), index, " дата не определена", va="center", fontsize=7)  # type: ignore[attr-defined]
        return
    # Only the windows that already ended are outlined as late; later ones are not.
    late = [w for w in row.windows if row.overdue and w[1] < today]
    for windows, edge, width in (
        ([w for w in row.windows if w not in late], "#555555", 0.4),
        (late, OVERDUE_EDGE, 1.5),
    ):
        if windows:
            axes.broken_barh(  # type: ignore[attr-defined]
                [(date2num(s), date2num(e + timedelta(days=1)) - date2num(s)) for s, e in windows],
                (index - 0.35, 0.7),
                facecolors=colour,
                edgecolors=edge,
                linewidth=width,
                hatch="//" if row.tentative else None,
            )


def _month_label(value: float, _position: int) -> str:
    """«мар. 2026»: Russian month abbreviations from babel."""
    return format_date(num2date(value).date(), "LLL y", locale=LOCALE)


def _x_range(rows: list[ChartRow], today: date) -> tuple[float, float]:
    days = [today] + [d for row in rows for w in row.windows for d in w]
    start, end = min(days), max(days) + timedelta(days=1)
    margin = max((end - start).days // 40, 3)
    return date2num(start - timedelta(days=margin)), date2num(end + timedelta(days=margin))


def _legend() -> list[Patch]:
    handles = [Patch(facecolor=c, label=STATUS_LABELS[s]) for s, c in STATUS_COLOURS.items()]
    handles.append(Patch(facecolor="white", edgecolor=OVERDUE_EDGE, label="Просрочено"))
    return handles


def chart_png(data: ExportData, *, title: str = "") -> bytes:
    """The timeline of every item in `data` as PNG bytes."""
    today = min((plan.today for plan in data.plans), default=data.now.date())
    figure = build_figure(chart_rows(data), today=today, title=title)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
