"""From groups of units to dates: borrowed kinds and years, windows, limits, due dates."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.rules.deadlines import vocabulary as vocab
from scheduler.rules.deadlines.units import Group, Unit

#: How far from the reference year a written year may be and still count (DESIGN.md).
YEARS_BEFORE, YEARS_AFTER = 5, 15
#: How far a span of years («в 2015 – 2040 годах») or a year-only limit («на период до 2050
#: года») may reach: strategies and outlooks run for decades; «2206» is still a typo.
OUTLOOK_YEARS = 30

_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_HALF_MONTHS = {1: (1, 6), 2: (7, 12)}
_DAY = timedelta(days=1)
_BORROWABLE = ("day", "quarter", "half", "day_of_month", "bare")


class Resolution:
    """Windows and due dates of a phrase, and what could not be made into dates."""

    __slots__ = ("due", "warnings", "windows")

    def __init__(self) -> None:
        self.windows: list[tuple[date, date]] = []
        self.due: list[date] = []
        self.warnings: list[str] = []


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in(year: int, month: int) -> int:
    """Days in a month (1..12); `calendar.monthrange` also computes a weekday we never use."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


def _last_day(year: int, month: int) -> date:
    return date(year, month, days_in(year, month))


def _month_span(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), _last_day(year, last)


class _BadUnit(Exception):
    """A unit that names no real period («31 февраля», «V квартал»); carries the warning."""

    def __init__(self, unit: Unit, why: str) -> None:
        super().__init__(f"{why}: {unit.text}")


def span(unit: Unit, year: int) -> tuple[date, date]:
    """The first and last day of `unit` in `year`."""
    kind, n = unit.kind, unit.n
    if kind == "day":
        month = unit.month or 0
        if not 1 <= month <= 12 or not 1 <= n <= days_in(year, month):
            raise _BadUnit(unit, "нет такой даты")
        return date(year, month, n), date(year, month, n)
    if kind == "month":
        return _month_span(year, n, n)
    if kind == "quarter" and n in _QUARTER_MONTHS:
        return _month_span(year, *_QUARTER_MONTHS[n])
    if kind == "half" and n in _HALF_MONTHS:
        return _month_span(year, *_HALF_MONTHS[n])
    if kind == "year":
        return date(n, 1, 1), date(n, 12, 31)
    if kind == "academic":  # the school year `year` starts in
        return date(year, 9, 1), date(year + 1, 8, 31)
    if kind == "season":
        last_month = unit.month or n
        if last_month < n:  # winter: from December of the year before
            return date(year - 1, n, 1), _last_day(year, last_month)
        return _month_span(year, n, last_month)
    if kind == "half_month" and unit.month and n in (1, 2):
        last = date(year, unit.month, 15) if n == 1 else _last_day(year, unit.month)
        return date(year, unit.month, 1 if n == 1 else 16), last
    if kind == "decade" and unit.month and n in (1, 2, 3):
        first = date(year, unit.month, 10 * n - 9)
        return first, date(year, unit.month, 10 * n) if n < 3 else _last_day(year, unit.month)
    if kind == "months" and 1 <= n <= 12:
        return _month_span(year, 1, n)
    if kind == "weekday" and unit.month:
        day = _weekday_of(year, unit.month, unit.weekday, n)
        if day is None:
            raise _BadUnit(unit, "нет такой даты")
        return day, day
    raise _BadUnit(unit, "не удалось разобрать")


def _weekday_of(year: int, month: int, weekday: int, n: int) -> date | None:
    """The n-th (or, for -1, the last) `weekday` of a month, or None if there is none."""
    if n == -1:
        last = _last_day(year, month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    return date(year, month, day) if day <= days_in(year, month) else None


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def part_of(first: date, last: date, part: str) -> tuple[date, date]:
    """The beginning, middle or end of the period [first, last] (the module's conventions):
    of one month 1–10, 11–20, 21–last; of several months the first, the middle one(s), the
    last: a quarter's first, second, third month, a year's January, June–July, December."""
    months = _months_between(first, last)
    if first.day != 1 or last.day != days_in(last.year, last.month):
        return first, last  # not whole months: a day, a decade, a range of days
    if months == 1:
        year, month = first.year, first.month
        if part == "begin":
            return first, date(year, month, 10)
        if part == "middle":
            return date(year, month, 11), date(year, month, 20)
        return date(year, month, 21), last
    if part == "begin":
        return first, _last_day(first.year, first.month)
    if part == "end":
        return date(last.year, last.month, 1), last
    low = (months - 1) // 2  # 0-based middle month(s): one for odd counts, two for even
    high = months // 2
    start = _add_months(first.year, first.month, low)
    end = _add_months(first.year, first.month, high)
    return date(*start, 1), _last_day(*end)


def part_day(first: date, last: date, part: str) -> date:
    """The day a limit on a part means: «к началу» its first day, «до середины» the 15th
    (of a month; of longer periods the middle month's 15th, or for an even count of months
    the last day of the first half), «до конца» its last day."""
    if part == "begin":
        return first
    if part == "end":
        return last
    months = _months_between(first, last)
    if first.day != 1 or months < 1:
        return last
    if months % 2:
        year, month = _add_months(first.year, first.month, months // 2)
        return date(year, month, 15)
    year, month = _add_months(first.year, first.month, months // 2 - 1)
    return _last_day(year, month)


def _last_month(unit: Unit) -> int:
    """The month a year-less unit ends in, to place it on or after the reference month."""
    if unit.kind == "day":
        return unit.month or 12
    if unit.kind == "month":
        return unit.n
    if unit.kind in ("season", "decade", "half_month", "weekday"):
        return unit.month or 12
    if unit.kind == "quarter" and unit.n in _QUARTER_MONTHS:
        return _QUARTER_MONTHS[unit.n][1]
    if unit.kind == "half" and unit.n in _HALF_MONTHS:
        return _HALF_MONTHS[unit.n][1]
    return 12


def _borrow(unit: Unit, model: Unit) -> None:
    """A bare numeral takes the kind (and month) of its neighbour: «14-16 мая», «I-II кв.»."""
    if unit.kind == "bare" and model.kind in _BORROWABLE and model.kind != "bare":
        unit.kind, unit.month = model.kind, model.month
        if unit.year is None:
            unit.year = model.year


def _written_years(group: Group) -> list[int]:
    """Every year the group spells out, to check each against the allowed range."""
    years = list(group.years[:1] + group.years[-1:])
    for unit in (group.start, group.end):
        if unit is not None and unit.year is not None:
            years.append(unit.year)
        if unit is not None and unit.kind == "year":
            years.append(unit.n)
    return years


class Resolver:
    """Turns the groups of one phrase into windows against a reference date."""

    def __init__(
        self,
        reference: date,
        *,
        day_of_month_in: tuple[int, int],
        next_year: bool = False,
        bare_days: bool = True,
    ) -> None:
        self.reference = reference
        self.bare_days = bare_days  # bare numbers may be days of the reference month
        self.next_year = next_year
        self.day_of_month_in = day_of_month_in
        self.low = reference.year - YEARS_BEFORE
        self.high = reference.year + YEARS_AFTER
        self.result = Resolution()
        self.onward: tuple[date, date] | None = None  # the open window, if the phrase has one
        self.limited = False  # whether a limit («до», «не позднее») made a window
        # The calendar position (month, day) and year of the last year-less window, and
        # whether it was rolled into a later year: to roll the next one.
        self.previous: tuple[tuple[int, int], int, bool] | None = None

    def run(self, groups: list[Group]) -> Resolution:
        """Borrow kinds and years right to left, then date every group."""
        if len(groups) == 1 and groups[0].end is None:
            return self.run_single(groups[0])
        outlook = False
        if len(groups) > 1:  # one group (most phrases) has no neighbours to look at
            self.drop_remark_years(groups)
            self.spread_over_years(groups)
            outlook = _is_outlook(groups)
        self.borrow_kinds(groups)
        carried = self.carry_years(groups)
        if len(groups) > 1:
            self.report_pairs(groups, carried)
        # An open start («не ранее 1 марта») and a limit («не позднее 1 мая») bound one window.
        has_windows = False
        for group in groups:  # a plain loop: cheaper than any() over a generator here
            if not group.limit and not group.onward:
                has_windows = True
                break
        for group, years in zip(groups, carried, strict=True):
            for year in years or (None,):
                self.date_group(group, year, due=group.limit and (group.in_paren or has_windows))
        if self.onward and len(self.result.windows) == 2:
            self.bound_onward()
        if outlook and self.result.windows:
            self.cover_outlook()
        return self.result

    def cover_outlook(self) -> None:
        """«на 2025 – 2027 годы и на период до 2035 года»: one window to the outer end."""
        result = self.result
        first = min(window[0] for window in result.windows)
        last = max(max(window[1] for window in result.windows), max(result.due, default=first))
        result.windows, result.due = [(first, last)], []

    def report_pairs(self, groups: list[Group], carried: list[tuple[int, ...]]) -> None:
        """«за III квартал – не позднее 20 октября»: the reported period through its deadline
        (a year-less deadline falls on or after the period's start)."""
        for index in range(len(groups) - 1):
            period, limit = groups[index], groups[index + 1]
            if not period.reported or period.limit or period.end is not None:
                continue
            if not limit.limit or limit.in_paren or limit.end is not None:
                continue
            if period.start.kind in ("skip", "bare", "day") or limit.start.kind in ("skip", "bare"):
                continue
            own_year = period.start.year if period.start.kind != "year" else period.start.n
            try:
                first = span(period.start, own_year or self.place(period.start))[0]
                deadline = self.deadline_after(limit, first)
            except _BadUnit:
                continue
            if deadline < first:
                continue
            self.result.windows.append((first, deadline))
            period.start.kind = limit.start.kind = "skip"
            carried[index] = carried[index + 1] = ()

    def deadline_after(self, limit: Group, period_start: date) -> date:
        """The day a limit names, placed on or after `period_start` when it has no year
        («за IV квартал – до 20 января»: the January after the quarter)."""
        unit = limit.start
        if unit.kind == "day_of_month":
            return self.day_of_month(unit)[1]
        if unit.year is not None or unit.kind == "year":
            return span(unit, unit.year or unit.n)[1]
        day = span(unit, period_start.year)[1]
        return day if day >= period_start else span(unit, period_start.year + 1)[1]

    def run_single(self, group: Group) -> Resolution:
        """One group of one unit (most phrases): what `run` does, without its loops."""
        start, warnings = group.start, self.result.warnings
        if start.kind == "bare":  # as in `borrow_kinds`: nothing to borrow from
            self.day_of_reference_month(start)
        if start.kind == "bare":
            warnings.append(f"не удалось разобрать: {start.text}")
        if group.years and group.years[0] > group.years[-1]:  # as in `carry_years`
            warnings.append(f"годы в обратном порядке: {start.text}")
            start.kind = "skip"
        if start.kind == "skip" or not self.years_ok(_written_years(group), _is_year_span(group)):
            start.kind = "skip"
            return self.result
        own = group.years
        if not own and start.kind != "year" and start.year is not None:
            own = (start.year,)
        due = group.limit and group.in_paren  # no other group makes windows
        for year in own or (None,):
            self.date_group(group, year, due=due)
        if self.onward and len(self.result.windows) == 2:
            self.bound_onward()
        return self.result

    def bound_onward(self) -> None:
        """«не ранее 1 марта, не позднее 1 мая»: the open window ends at the limit."""
        (first, _), (_, last) = sorted(self.result.windows, key=lambda w: w != self.onward)
        if not self.limited:
            return
        if first <= last:
            self.result.windows = [(first, last)]
        else:  # both windows stay, for a person to read
            self.result.warnings.append(f"начало позже конца: {first.isoformat()}")

    def drop_remark_years(self, groups: list[Group]) -> None:
        """«январь 2027 г. (по итогам 2026 г.)»: a bare year in a remark adds no window."""
        if not any(not group.in_paren and not group.limit for group in groups):
            return
        for group in groups:
            plain_year = group.start.kind == "year" and group.end is None and not group.years
            if group.in_paren and plain_year and not group.limit:
                group.start.kind = "skip"

    def spread_over_years(self, groups: list[Group]) -> None:
        """«ежегодно в 2026-2028 гг., II квартал»: year-less periods repeat in each year of
        the one span of years, which then adds no window of its own."""
        spans = [g for g in groups if g.start.kind == "year" and g.end is not None]
        dated = [g for g in groups if g.start.kind != "year" and not g.limit]
        if len(spans) != 1 or not dated or spans[0].limit:
            return
        span_end = spans[0].end
        if span_end is None or span_end.kind != "year":
            return
        if any(g.years or (g.end or g.start).year is not None for g in dated):
            return
        first, last = spans[0].start.n, span_end.n
        if 0 <= last - first <= 30:
            for group in dated:
                group.years = tuple(range(first, last + 1))
            spans[0].start.kind = "skip"

    def borrow_kinds(self, groups: list[Group]) -> None:
        """Bare numerals take their kind from the right («3, 4, 10 ноября»), else from the
        month heading before them («в марте: 3-4, 10»), else they are days of the reference
        month (a monthly plan: «12, 19, 26»); the rest warn."""
        model: Unit | None = None
        for group in reversed(groups):
            if group.end is not None:
                if model is not None:
                    _borrow(group.end, model)
                _borrow(group.start, group.end)
            elif model is not None:
                _borrow(group.start, model)
            model = group.start
        heading: Group | None = None
        for group in groups:
            if group.heading:
                heading = group
                continue
            for unit in (group.start, group.end):
                if unit is None or unit.kind != "bare":
                    continue
                if heading is not None:
                    unit.kind, unit.month = "day", heading.start.n
                    unit.year = unit.year if unit.year is not None else heading.start.year
                    heading.start.kind = "heading"
                else:
                    self.day_of_reference_month(unit)
        for group in groups:
            if group.start.kind == "heading":  # its days are its windows
                group.start.kind = "skip"
        for group in groups:
            for unit in (group.start, group.end):
                if unit is not None and unit.kind == "bare":
                    self.result.warnings.append(f"не удалось разобрать: {unit.text}")

    def day_of_reference_month(self, unit: Unit) -> None:
        """A day number with no month anywhere: a day of the reference month (not in a
        phrase with words the grammar does not know: «в течение 2 лет»)."""
        if self.bare_days and 1 <= unit.n <= days_in(self.reference.year, self.reference.month):
            unit.kind, unit.month = "day", self.reference.month
            if unit.year is None:
                unit.year = self.reference.year

    def carry_years(self, groups: list[Group]) -> list[tuple[int, ...]]:
        """The year(s) each group is read in: its own, else those of the next dated group."""
        carried: list[tuple[int, ...]] = []
        carry: tuple[int, ...] = ()
        after: tuple[int, int] | None = None  # where in the calendar the carrying group starts
        for group in reversed(groups):
            if group.years and group.years[0] > group.years[-1]:
                self.result.warnings.append(f"годы в обратном порядке: {group.start.text}")
                group.start.kind = "skip"
            span_ok = self.years_ok(_written_years(group), _is_year_span(group))
            if group.start.kind == "skip" or not span_ok:
                group.start.kind = "skip"
                carried.append(())
                continue
            own: tuple[int, ...] = group.years
            if not own and group.start.kind != "year":
                year = (group.end or group.start).year or group.start.year
                own = (year,) if year is not None else ()
            if own:
                carry = own
                after = _position(group.start)
            elif len(carry) == 1 and group.start.kind != "year":
                # «20 декабря, 15 января 2027 года»: a member later in the calendar than the
                # one after it, which has the year, falls in the year before
                here = _position(group.end or group.start)
                earlier = carry[0] - 1 >= self.low
                if here is not None and after is not None and here > after and earlier:
                    carry = (carry[0] - 1,)
                after = _position(group.start)
            carried.append(own or (carry if group.start.kind != "year" else ()))
        carried.reverse()
        return carried

    def years_ok(self, years: list[int], outlook: str = "") -> bool:
        """Years far from the reference are typos («2206»): a warning, not a window. A span
        of years (`outlook`) may reach `OUTLOOK_YEARS` either way, a year-only limit ahead."""
        low, high = self.low, self.high
        if outlook:
            high = self.reference.year + OUTLOOK_YEARS
            low = min(low, self.reference.year - OUTLOOK_YEARS * (outlook == "span"))
        for year in years:
            if not low <= year <= high:
                self.result.warnings.append(f"год {year} вне допустимого диапазона {low}–{high}")
                return False
        return True

    def place(self, unit: Unit) -> int:
        """The year of a year-less unit: on or after the reference month (or in the year
        after the reference one, for «года, следующего за отчетным»)."""
        if unit.kind in ("months", "year"):
            return self.reference.year
        if unit.kind == "academic":  # the school year under way at the reference date
            return self.reference.year - (self.reference.month < 9)
        if self.next_year:
            return self.reference.year + 1
        if _last_month(unit) >= self.reference.month:
            return self.reference.year
        return self.reference.year + 1

    def date_group(self, group: Group, year: int | None, *, due: bool) -> None:
        """Add the window (or limit, or due date) of one group read in `year`."""
        if group.start.kind in ("skip", "bare"):
            return
        try:
            first, last = self.dates(group, year)
        except _BadUnit as exc:
            self.result.warnings.append(str(exc))
            return
        if group.part and group.end is None:
            if group.limit or due:
                first = last = part_day(first, last, group.part.rpartition(">")[2])
            else:
                first, last = self.part_window(group, first, last)
        elif group.end is not None and (group.part or group.end_part):
            first, last = self.part_range(group, first, last)
        if year is None and not group.limit and not group.onward and not due:
            first, last = self.roll(group, first, last)
        if due:
            self.result.due.append(last)
        elif group.onward:
            self.add_onward(last + _DAY if group.onward == "after" else first)
        elif group.limit:
            self.add_limit(last)
        elif first > last:
            self.result.warnings.append(f"начало позже конца: {group.start.text}")
        else:
            self.result.windows.append((first, last))

    def part_range(self, group: Group, first: date, last: date) -> tuple[date, date]:
        """«конец сентября – начало октября»: from the start's part to the end's part."""
        end = group.end
        assert end is not None
        try:
            if group.part and group.start.kind != "day":
                first = part_of(*span(group.start, first.year), group.part)[0]
            if group.end_part and end.kind != "day":
                last = part_of(*span(end, last.year), group.end_part)[1]
        except _BadUnit:
            pass
        return first, last

    def part_window(self, group: Group, first: date, last: date) -> tuple[date, date]:
        """«в конце июня»: 21–30 июня, with a warning saying which days were taken; «в начале
        – середине мая»: 1–20 мая."""
        begin, _, end = group.part.partition(">")
        first, last = part_of(first, last, begin)[0], part_of(first, last, end or begin)[1]
        if first.month == last.month and (first.day != 1 or last.day < 28):
            month = vocab.MONTH_FORMS[first.month][1]
            self.result.warnings.append(f"часть месяца: {first.day}–{last.day} {month}")
        return first, last

    def roll(self, group: Group, first: date, last: date) -> tuple[date, date]:
        """«ноябрь, февраль»: a year-less member earlier in the calendar than the one before
        it falls in the next year."""
        unit = group.end or group.start
        if unit.year is not None or group.start.year is not None or unit.kind in _FIXED:
            return first, last
        position = (first.month, first.day)
        previous = self.previous
        target, rolled = first.year, False
        if previous is not None:
            before, year, chained = previous
            if position < before:  # earlier in the calendar: the year after the previous one
                self.result.warnings.append("год не указан — взят следующий")
                target = max(target, year + 1)
            elif chained:
                target = max(target, year)
            rolled = target > first.year or (chained and target == year)
        while first.year < target:
            first, last = _next_year(first), _next_year(last)
        self.previous = (position, first.year, rolled)
        return first, last

    def dates(self, group: Group, year: int | None) -> tuple[date, date]:
        start, end = group.start, group.end
        if start.kind == "day_of_month":  # «до 10 числа», «с 1 по 15 число месяца»
            last_unit = end if end is not None and end.kind == "day_of_month" else start
            return self.day_of_month(start)[0], self.day_of_month(last_unit)[1]
        if end is None or end.kind in ("skip", "bare"):
            unit_year = start.year if start.year is not None else year
            return span(start, unit_year if unit_year is not None else self.place(start))
        end_year = end.year if end.year is not None else year
        if end_year is None and start.year is None and end.kind != "year":
            # A year-less range is placed by its end: it must not lie wholly in the past.
            end_year = self.place(end)
        start_year = start.year if start.year is not None else end_year
        if start_year is None:
            start_year = self.place(start)
        first = span(start, start_year)[0]
        if end_year is None:
            end_year = start_year if span(end, start_year)[1] >= first else start_year + 1
        last = span(end, end_year)[1]
        if start.year is None and end.kind != "year" and first > last:
            if end.year is None and year is None and self.place(start) == end_year:
                # «с 15 ноября по 10 февраля»: the start on or after the reference month,
                # the end, earlier in the calendar, in the year after it
                self.result.warnings.append("год не указан — взят следующий")
                return first, span(end, end_year + 1)[1]
            if end.year is None and year is None:  # «декабрь – январь»: January is next year
                self.result.warnings.append("год не указан — взят следующий")
            first = span(start, start_year - 1)[0]
        return first, last

    def day_of_month(self, unit: Unit) -> tuple[date, date]:
        """«до 10 числа (месяца, следующего за отчетным)»: that day of the month it names."""
        year, month = self.day_of_month_in
        if not 1 <= unit.n <= days_in(year, month):
            raise _BadUnit(unit, "нет такой даты")
        day = date(year, month, unit.n)
        return day, day

    def add_onward(self, first: date) -> None:
        """«не ранее 1 марта», «после II квартала»: from `first` to the end of its year.

        The open end is the reference year's last day, or, for a start in a later year,
        that year's: an open window never ends before it starts, nor runs on for years.
        """
        self.onward = (first, date(max(first.year, self.reference.year), 12, 31))
        self.result.windows.append(self.onward)

    def add_limit(self, last: date) -> None:
        """«до 1 июля 2027 г.»: from the reference date to that day."""
        self.limited = True
        if last < self.reference:
            self.result.warnings.append(
                f"срок {last.isoformat()} раньше даты отсчета {self.reference.isoformat()}"
            )
            self.result.windows.append((last, last))
        else:
            self.result.windows.append((self.reference, last))


def _position(unit: Unit) -> tuple[int, int] | None:
    """Where in the calendar a unit starts, as (month, day); None for what has no place."""
    kind = unit.kind
    if kind == "day" and unit.month:
        return unit.month, unit.n
    if kind == "month":
        return unit.n, 1
    if kind in ("decade", "half_month", "weekday") and unit.month:
        return unit.month, 1
    if kind == "quarter" and unit.n in _QUARTER_MONTHS:
        return _QUARTER_MONTHS[unit.n][0], 1
    if kind == "half" and unit.n in _HALF_MONTHS:
        return _HALF_MONTHS[unit.n][0], 1
    return None


_FIXED = frozenset({"year", "months", "academic", "day_of_month", "skip", "bare"})


def _next_year(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year + 1, 2, 28)
    if day.month == 2 and day.day == 28 and days_in(day.year + 1, 2) == 29:
        return date(day.year + 1, 2, 29)  # the last day of February stays the last day
    return day.replace(year=day.year + 1)


def _is_year_span(group: Group) -> str:
    """«2015 – 2040 годы» ("span"), «до 2035 года» ("limit"): years alone, where outlooks
    reach further; or ""."""
    start, end = group.start, group.end
    if start.kind != "year" or group.years:
        return ""
    if end is not None and end.kind == "year":
        return "span"
    return "limit" if end is None and group.limit else ""


def _is_outlook(groups: list[Group]) -> bool:
    """Years and year-only limits, nothing else, out of parentheses: one outlook window
    («на 2025 – 2027 годы и на период до 2035 года», «до 2030 года с перспективой до 2036»)."""
    limits = plain = 0
    for group in groups:
        if group.in_paren or group.start.kind != "year" or group.years:
            return False
        if group.end is not None and group.end.kind != "year":
            return False
        if group.limit:
            limits += 1
        else:
            plain += 1
    return bool(limits) and limits + plain >= 2


def resolve(
    groups: list[Group],
    *,
    reference: date,
    day_of_month_in: tuple[int, int],
    next_year: bool = False,
    bare_days: bool = True,
) -> Resolution:
    """Windows, due dates and warnings of the groups of one phrase.

    `day_of_month_in` is the (year, month) an «N числа» refers to; `bare_days` says a number
    with no month may be a day of the reference month.
    """
    resolver = Resolver(
        reference, day_of_month_in=day_of_month_in, next_year=next_year, bare_days=bare_days
    )
    return resolver.run(groups)
