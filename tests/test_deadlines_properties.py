"""Properties of the deadline engine over open-ended input (hypothesis).

It never raises, never returns an inverted, unsorted or far-off window, and gives the same
answer whatever the letter case, the kind of dash or the spacing of a phrase.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.rules.deadlines import (
    OUTLOOK_YEARS,
    YEARS_AFTER,
    YEARS_BEFORE,
    DeadlineParse,
    parse,
    parse_deadline,
)
from scheduler.rules.deadlines.vocabulary import MONTH_FORMS
from tests.support.deadline_table import TABLE

PHRASES = sorted({row.values[0] for row in TABLE if row.values[0].strip()})
DASHES = ["-", "–", "—", "‒", "−", "‐"]
ISO_DATE = re.compile(r"\d{4}-\d")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

references = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))

# Words and signs plans are made of, to throw grammar-shaped junk at the engine.
SIGNS = (
    "I II III IV кв. квартал кварталы полугодие года годов г. гг. до с по к не позднее конца в "
    "течение ежегодно уточняется ( ) , ; : - – — . 2-е 1-й 31 15 1 3 12 2026 2027 1999 2206 26 "
    "07.11 15.03.2027 2027-03-15 11.00 числа месяца этап"
)
PIECES = [form for forms in MONTH_FORMS.values() for form in forms[:3]] + re.split(" ", SIGNS)
junk = st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join)


def invariant(result: DeadlineParse, reference: date) -> None:
    """What every parse satisfies, whatever the input."""
    windows = result.windows
    assert list(windows) == sorted(set(windows))
    assert all(start <= end for start, end in windows)
    # A span of years («в 2015 – 2040 годах») or a year-only limit («до 2050 года») may
    # reach OUTLOOK_YEARS; other windows stay in the allowed range.
    low, high = reference.year - YEARS_BEFORE - 1, reference.year + YEARS_AFTER + 1
    for start, end in windows:
        assert reference.year - OUTLOOK_YEARS <= start.year, windows
        assert end.year <= reference.year + OUTLOOK_YEARS, windows
        whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if start.year < low:  # only a span of whole years reaches back that far
            assert whole_years, windows
        if end.year > high:  # a span of years, or a year-only limit from the reference on
            assert whole_years or start.year >= reference.year, windows
    assert result.undated is (not windows)
    assert result.recurrence in (None, "yearly", "half_yearly", "quarterly", "monthly", "weekly")
    assert all(isinstance(w, str) and w for w in result.warnings)
    assert set(result.to_json()) == {
        "text", "windows", "recurrence", "tentative", "undated", "due", "warnings"
    }  # fmt: skip


def same_answer(first: DeadlineParse, second: DeadlineParse) -> None:
    assert first.to_json() | {"text": ""} == second.to_json() | {"text": ""}


@FAST
@given(text=st.text(max_size=200), reference=references)
def test_arbitrary_text_never_raises(text: str, reference: date) -> None:
    # `parse` is the engine without parse_deadline's last-resort guard: a bug here raises.
    invariant(parse(text, reference), reference)


@FAST
@given(text=junk, reference=references)
def test_grammar_shaped_junk_keeps_invariants(text: str, reference: date) -> None:
    result = parse(text, reference)
    invariant(result, reference)
    if not result.windows and not result.tentative:
        assert result.warnings or result.undated


@FAST
@given(phrase=st.sampled_from(PHRASES), data=st.data())
def test_letter_case_does_not_matter(phrase: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(phrase), max_size=len(phrase)))
    recased = "".join(
        ch.upper() if up else ch.lower() for ch, up in zip(phrase, flips, strict=True)
    )
    reference = date(2026, 1, 1)
    same_answer(
        parse_deadline(phrase, reference=reference), parse_deadline(recased, reference=reference)
    )


@FAST
@given(phrase=st.sampled_from([p for p in PHRASES if not ISO_DATE.search(p)]), data=st.data())
def test_dashes_and_spaces_do_not_matter(phrase: str, data: st.DataObject) -> None:
    pieces = []
    for ch in phrase:
        if ch in DASHES:
            pad = data.draw(st.sampled_from(["", " ", "  ", "\n"]))
            pieces.append(pad + data.draw(st.sampled_from(DASHES)) + pad)
        elif ch.isspace():
            pieces.append(data.draw(st.sampled_from([" ", "  ", "\n", " \n ", "\t"])))
        else:
            pieces.append(ch)
    spaced = data.draw(st.sampled_from(["", " ", "\n"])) + "".join(pieces) + " "
    reference = date(2026, 1, 1)
    same_answer(
        parse_deadline(phrase, reference=reference), parse_deadline(spaced, reference=reference)
    )


@given(phrase=st.sampled_from(PHRASES), reference=references)
@FAST
def test_any_reference_keeps_invariants(phrase: str, reference: date) -> None:
    invariant(parse(phrase, reference), reference)


def test_long_text_is_read_quickly() -> None:
    text = "II квартал 2026 года, " * 500
    result = parse_deadline(text, reference=date(2026, 1, 1))
    assert result.windows == ((date(2026, 4, 1), date(2026, 6, 30)),)


def test_guarded_entry_point_answers_for_non_text() -> None:
    result = parse_deadline(2027, reference=date(2026, 1, 1))  # type: ignore[arg-type]
    assert result.text == "2027"
    assert result.windows == ((date(2027, 1, 1), date(2027, 12, 31)),)


YEARS = st.integers(min_value=1990, max_value=2060).map(str)
QUARTERS = st.sampled_from(["I", "II", "III", "IV", "1", "2", "3", "4", "V", "0"])
YEAR_WORDS = st.sampled_from(["", " года", " г.", " г", " год", " годы", " гг."])
common_shapes = st.one_of(
    st.tuples(st.sampled_from(PIECES), YEARS, YEAR_WORDS).map(lambda t: f"{t[0]} {t[1]}{t[2]}"),
    st.tuples(QUARTERS, YEARS, YEAR_WORDS).map(lambda t: f"{t[0]} квартал {t[1]}{t[2]}"),
    st.tuples(YEARS, st.sampled_from(DASHES), YEARS, YEAR_WORDS).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}{t[3]}"
    ),
    st.tuples(QUARTERS, YEARS, YEAR_WORDS).map(lambda t: f"{t[0]} полугодие {t[1]}{t[2]}"),
    st.tuples(st.sampled_from(["", "в ", "в течение ", "В\n", "до "]), YEARS, YEAR_WORDS).map(
        "".join
    ),
    st.sampled_from(["в течение года", "в течение текущего года", "В течение\nгода"]),
)


@FAST
@given(text=common_shapes, reference=references)
def test_early_exits_agree_with_the_grammar(text: str, reference: date) -> None:
    from scheduler.rules.deadlines import parse_general

    assert parse(text, reference) == parse_general(text, reference)


@given(text=st.text(alphabet=st.sampled_from('аёЁбІі Ⅱⅳ-–—«»"\u00ad\u200b12.,'), max_size=40))
def test_normalise_skips_translate_only_when_it_changes_nothing(text: str) -> None:
    """`normalise` scans for the characters it maps before translating: same result."""
    from scheduler.rules.deadlines.tokens import _DASH_RUN, _TRANSLATION, normalise

    spaced = " ".join(text.lower().translate(_TRANSLATION).split())
    assert normalise(text) == _DASH_RUN.sub("-", spaced)  # a run of dashes is one dash


# --- issue 13: rollover, parts of a month, recurrences over a period -----------------------

MONTH_NAMES = [forms[0] for forms in MONTH_FORMS.values()]  # «январь» …
MONTH_GENITIVES = [forms[1] for forms in MONTH_FORMS.values()]  # «января» …
MONTH_PREPOSITIONALS = [forms[2] for forms in MONTH_FORMS.values()]  # «январе» …
plan_references = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def _containing(windows, month: int, day: int = 1) -> tuple[date, date]:
    found = [w for w in windows if (w[0].month, w[0].day) == (month, day)]
    assert len(found) == 1, (windows, month, day)
    return found[0]


@FAST
@given(
    first=st.integers(1, 12),
    second=st.integers(1, 12),
    reference=plan_references,
    days=st.booleans(),
)
def test_rollover_never_makes_a_window_go_backwards(
    first: int, second: int, reference: date, days: bool
) -> None:
    """«ноябрь, февраль»: a member earlier in the calendar than the one before it comes
    after it, in the next year; a year-less range never ends before it starts."""
    if first == second:
        return
    if days:
        phrase = f"1 {MONTH_GENITIVES[first - 1]}, 1 {MONTH_GENITIVES[second - 1]}"
    else:
        phrase = f"{MONTH_NAMES[first - 1]}, {MONTH_NAMES[second - 1]}"
    result = parse(phrase, reference)
    invariant(result, reference)
    before, after = _containing(result.windows, first), _containing(result.windows, second)
    month_start = reference.replace(day=1)
    assert before[0] >= month_start  # placed on or after the reference month
    if second < first:
        assert after[0] > before[0], result
        assert any("год не указан" in warning for warning in result.warnings), result
    ranged = parse(
        f"с 1 {MONTH_GENITIVES[first - 1]} по 1 {MONTH_GENITIVES[second - 1]}", reference
    )
    assert len(ranged.windows) == 1 and ranged.windows[0][0] < ranged.windows[0][1], ranged


PARTS = [
    "в начале", "в середине", "в конце", "в первой декаде", "во второй декаде",
    "в третьей декаде", "в последней декаде", "в первой половине", "во второй половине",
    "до конца", "не позднее середины", "к началу",
]  # fmt: skip


@FAST
@given(
    part=st.sampled_from(PARTS),
    month=st.integers(1, 12),
    year=st.sampled_from(["", " 2026 года", " 2027 г.", " 2028 г"]),
    reference=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
)
def test_a_part_of_a_month_lies_inside_that_month(
    part: str, month: int, year: str, reference: date
) -> None:
    result = parse(f"{part} {MONTH_GENITIVES[month - 1]}{year}", reference)
    invariant(result, reference)
    assert len(result.windows) == 1, result
    start, end = result.windows[0]
    if part.startswith(("до", "не позднее", "к ")):  # a limit: its deadline is in the month
        assert end.month == month, result
        return
    assert start.month == end.month == month and start.year == end.year, result
    assert start.day in (1, 11, 16, 21) and start <= end, result


RECURRING = [
    st.just("ежеквартально"),
    st.just("еженедельно"),
    st.sampled_from(["по вторникам", "каждую среду", "еженедельно, по пятницам и субботам"]),
    st.just("ежемесячно"),
    st.just("Ежегодно"),
    st.just("раз в полугодие"),
    st.sampled_from(MONTH_PREPOSITIONALS).map(lambda m: f"ежегодно, в {m}"),
    st.integers(1, 28).map(lambda n: f"ежемесячно до {n} числа"),
    st.integers(1, 28).map(
        lambda n: f"ежеквартально, до {n} числа месяца, следующего за отчётным кварталом"
    ),
    st.tuples(st.integers(1, 28), st.sampled_from(["первого", "второго"])).map(
        lambda t: (
            f"ежеквартально, до {t[0]}-го числа {t[1]} месяца, следующего за отчетным кварталом"
        )
    ),
    st.integers(1, 28).map(
        lambda n: f"раз в полугодие, до {n} числа месяца, следующего за отчётным полугодием"
    ),
    st.integers(1, 28).map(lambda n: f"два раза в год: до {n} января и до {n} июля"),
    st.integers(1, 28).map(lambda n: f"ежемесячно, до {n} числа месяца, следующего за отчетным"),
    st.tuples(st.integers(1, 28), st.sampled_from(MONTH_GENITIVES)).map(
        lambda t: f"ежегодно до {t[0]} {t[1]}"
    ),
    st.tuples(
        st.sampled_from(["первое", "второе", "третье", "последнее"]),
        st.sampled_from(MONTH_GENITIVES),
    ).map(lambda t: f"ежегодно, {t[0]} воскресенье {t[1]}"),
    st.sampled_from(["в начале", "в конце", "в середине"]).map(
        lambda p: f"ежеквартально, {p} квартала"
    ),
]
periods = st.tuples(st.integers(2020, 2035), st.integers(1, 12), st.integers(1, 4)).map(
    lambda t: (date(t[0], t[1], 1), date(t[0] + t[2], t[1], 1) - timedelta(days=1))
)


@FAST
@given(phrase=st.one_of(RECURRING), period=periods)
def test_recurring_windows_lie_inside_the_period_in_order(
    phrase: str, period: tuple[date, date]
) -> None:
    """One window per occurrence: each starts inside the plan's period (a reporting deadline
    may end after it), starts strictly increase and no window contains another."""
    start, end = period
    result = parse_deadline(phrase, reference=start, period=period)
    assert result.recurrence is not None and result.windows, result
    windows = result.windows
    assert all(start <= first <= end and first <= last for first, last in windows), result
    assert all(a[0] < b[0] for a, b in pairwise(windows)), result
    assert all(b[1] > a[1] for a, b in pairwise(windows)), result  # none contains the next
