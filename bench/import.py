"""Import a generated 10,000-item plan (text and .docx) into SQLite and PostgreSQL.

    .venv/bin/python -m bench.import [--items N] [--pg-url URL] [--skip-pg]

Each case runs in a child process of its own, so the peak memory printed (max RSS) is
that case's alone. The time covers reading, parsing and writing (one transaction),
not generating the file or building the schema. Target: under 10 s for the text plan
into SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
MONTHS_NOM = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
QUARTERS = ["I", "II", "III", "IV"]
TITLE = (
    "План мероприятий («Дорожная карта») по реализации Соглашения о сотрудничестве "
    "между Смоленской и Могилевской областями на 2026 – 2028 годы"
)


def deadline(n: int) -> str:
    """A realistic deadline; a few hundred distinct phrases over the plan."""
    year = 2026 + n % 3
    kind = n % 7
    if kind == 0:
        return "2026 – 2028 годы."
    if kind == 1:
        return f"{QUARTERS[n % 4]} квартал {year} года"
    if kind == 2:
        return f"{MONTHS_NOM[n % 12]} {year} года"
    if kind == 3:
        return f"{1 + n % 27}-{2 + n % 27} {MONTHS[n % 12]} {year} года"
    if kind == 4:
        return f"до {1 + n % 28} {MONTHS[n % 12]} {year} г."
    if kind == 5:
        return "июнь – июль 2026 – 2028 годов."
    return "согласно дате проведения."


def ru_agency(n: int) -> str:
    return f"Министерство отрасли № {n % 150} Смоленской области"


def by_agency(n: int) -> str:
    return f"Комитет отрасли № {n % 80} Могилевского облисполкома"


def roadmap_text(items: int) -> str:
    """A roadmap in the sample's text layout: 100 items a section."""
    out = [f"**{TITLE}**", ""]
    per_section = 100
    for n in range(items):
        section, sub = divmod(n, per_section)
        if sub == 0:
            out += [f"**{section + 1}. Сотрудничество в сфере № {section + 1}:**", ""]
        out += [
            f"{section + 1}.{sub + 1}. Мероприятие № {n + 1}: обмен опытом, совместные встречи "
            "и консультации специалистов Смоленской и Могилевской областей.",
            "",
            f"Срок: {deadline(n)}",
            "",
            "Ответственные",
            "",
            "от Смоленской области  ",
            "(Российская Федерация):",
            "",
            f"{ru_agency(n)},  ",
            f"автономная некоммерческая организация «Центр № {n % 40}»",
            "",
            "от Могилевской области  ",
            "(Республика Беларусь):",
            "",
            by_agency(n),
            "",
        ]
    return "\n".join(out) + "\n"


def roadmap_docx(items: int, target: Path) -> None:
    """The same plan laid out as a Word table (built through the XML for speed)."""
    from docx import Document
    from docx.table import _Cell

    document = Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=1, cols=5)
    header = (
        "№ п/п",
        "Наименование мероприятия",
        "Срок исполнения",
        "Ответственные от Смоленской области",
        "Ответственные от Могилевской области",
    )
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for n in range(items):
        section, sub = divmod(n, 100)
        if sub == 0:
            row = table.add_row().cells
            row[0].merge(row[4]).text = f"{section + 1}. Сотрудничество в сфере № {section + 1}"
        texts = (
            f"{section + 1}.{sub + 1}.",
            f"Мероприятие № {n + 1}: обмен опытом и консультации специалистов.",
            deadline(n),
            f"{ru_agency(n)},\nавтономная некоммерческая организация «Центр № {n % 40}»",
            by_agency(n),
        )
        # row.cells rebuilds the whole grid each call; the row's own <w:tc> are enough here.
        for tc, text in zip(table.add_row()._tr.tc_lst, texts, strict=True):
            _Cell(tc, table).text = text
    document.save(target)


def run_one(kind: str, backend: str, items: int, pg_url: str, workdir: Path) -> dict:
    """Child process: build the schema, import once, report time and peak memory."""
    from sqlalchemy import text

    from models.db import make_engine, make_session_factory, upgrade
    from models.importing import import_plan

    path = workdir / ("plan.docx" if kind == "docx" else "plan.txt")
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'bench_{kind}.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        admin = make_engine(pg_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{pg_url}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    started, cpu = time.perf_counter(), time.process_time()
    with factory.begin() as session:
        report = import_plan(session, path=path, now=datetime.now(UTC))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    if schema is not None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "format": kind,
        "backend": backend,
        "items": report.items,
        "responsibilities": report.responsibilities,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SROK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument(
        "--one", nargs=3, metavar=("FORMAT", "BACKEND", "DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        kind, backend, workdir = args.one
        print(json.dumps(run_one(kind, backend, args.items, args.pg_url, Path(workdir))))
        return
    with tempfile.TemporaryDirectory(prefix="srok-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "plan.txt").write_text(roadmap_text(args.items), encoding="utf-8")
        roadmap_docx(args.items, workdir / "plan.docx")
        backends = ["sqlite"] if args.skip_pg else ["sqlite", "postgres"]
        heads = ("пунктов", "секунд", "ЦП, с", "пик, МБ")
        print(f"{'формат':8} {'база':9} " + " ".join(f"{h:>8}" for h in heads))
        for kind in ("text", "docx"):
            for backend in backends:
                child = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.import",
                        "--items",
                        str(args.items),
                        "--pg-url",
                        args.pg_url,
                        "--one",
                        kind,
                        backend,
                        str(workdir),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=ROOT,
                )
                if child.returncode != 0:
                    print(f"{kind:8} {backend:9} ошибка: {child.stderr.strip().splitlines()[-1]}")
                    continue
                row = json.loads(child.stdout.strip().splitlines()[-1])
                cells = (row["items"], row["seconds"], row["cpu_seconds"], row["peak_mb"])
                print(f"{kind:8} {backend:9} " + " ".join(f"{c:>8}" for c in cells))


if __name__ == "__main__":
    main()
