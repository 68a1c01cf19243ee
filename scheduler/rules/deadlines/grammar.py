"""The grammar: tokens -> groups of date units (a unit, a range of two, per-year ranges, limits).

A unit is a period the phrase names (a day, a month, a quarter, a half-year, a year, the first
N months of a year, the N-th day of a month); it may lack its year or, for a bare numeral in a
list or range («14-16 мая», «I-II кварталы»), even its kind, which it borrows later from its
neighbour (`resolve.py`).
"""

from __future__ import annotations

from scheduler.rules.deadlines import vocabulary as vocab
from scheduler.rules.deadlines.tokens import Token
from scheduler.rules.deadlines.units import Group, Reading, Unit

_YEAR_CONTEXT = frozenset({"течение", "протяжении", "всего", "весь", *vocab.PART_WORDS})
#: Words after which «текущего квартала», «следующего месяца» name a period.
_DEIXIS_CONTEXT = _YEAR_CONTEXT | {"в", "во", "до", "к", "ко", "позднее", "за"}
#: Plural year words: «2025 2027 годы» is a range whose dash was lost.
_YEARS_PLURAL = frozenset({"годы", "годов", "годах", "годам", "гг"})
#: Tokens a remark in parentheses may hold and still hold no date: «(понедельник)».
_REMARK_KINDS = frozenset({"word", "weekday", "sep", "dot"})
_PERIOD_UNITS = ("quarter", "half", "months")
#: «в Год …», «на протяжении Года …»: the words before a year named after a theme.
_IN = frozenset({"в", "во", "на", "течение", "протяжении"})
#: The words a list or range of bare day numbers may hold («с 3 по 7», «12, 19 и 26»); any
#: other word makes a bare number no day («в течение 2 лет», «по 2 мероприятия»).
_DAY_LIST_WORDS = (
    vocab.LIMIT_WORDS
    | vocab.RANGE_OPEN
    | vocab.RANGE_CLOSE
    | {"и", "а", "также", "или", "в", "во", "не", "включительно", "числа", "число", "срок"}
)
#: «в конце каждого квартала», «в первой декаде каждого месяца»: the period of each occurrence.
_EACH = frozenset({"каждого", "каждый", "каждом", "каждое", "каждую", "каждой"})
_NUMBERED = ("quarter", "half", "months", "day_of_month")
_PAD_KINDS = ["end", "end", "end"]
#: Unit words that make the number before them a label, not a date: «1 этап», «2 раза».
_LABELS = ("stage", "times", "days")
_PAD = ["", "", ""]
_PERIOD_WORDS = frozenset({"период", "периода", "периоде"})


class _Parser:
    """A recursive-descent reader over one phrase's tokens."""

    def __init__(self, tokens: list[Token], reference_year: int, reference_month: int) -> None:
        self.tokens = tokens
        self.size = len(tokens)
        self.reference_year = reference_year
        self.reference_month = reference_month
        self.part = ""
        self.part_from = ""  # «в начале – середине мая»: the part the range of parts starts at
        self.reported = False
        self.reading = Reading()
        self.depth = 0
        self.limit = False
        self.range_open = False
        self.year_owner: Group | None = None
        self.starting = False
        self.onward = ""
        # Per-token views, padded at the end: index -1 and the indexes past the end read
        # the padding, so look-ahead and look-behind need no bounds checks.
        kinds = self.kinds = [kind for kind, _, _ in tokens] + _PAD_KINDS
        self.words = [value if kind == "word" else "" for kind, value, _ in tokens] + _PAD
        self.units = [value if kind == "unit" else "" for kind, value, _ in tokens] + _PAD
        self.years: list[int | None] = [None] * (self.size + 3)
        if "num" in kinds:
            self.find_years()

    def find_years(self) -> None:
        """A year for each token that is one: 4 digits, or 2 followed by «г.»/«года»."""
        for i, token in enumerate(self.tokens):
            if token.kind != "num":
                continue
            if len(token.text) == 4:
                self.years[i] = token.value
            elif len(token.text) == 2 and self.units[i + 1] == "year":
                self.reading.two_digit_years.append(token.text)
                self.years[i] = 2000 + token.value

    def skip_year_words(self, i: int) -> int:
        """Past «года», «г.», «гг.», «г.г.» after a year number."""
        while self.units[i] == "year" or self.kinds[i] == "dot":
            i += 1
        return i

    # --- units -------------------------------------------------------------------------

    def unit(self, i: int) -> tuple[Unit, int] | None:
        """The unit starting at token `i`, and the index after it."""
        if i >= self.size:
            return None
        token = self.tokens[i]
        kind = token.kind
        if kind == "date":
            day, month, year, digits = token.value
            if year is not None and digits <= 2:  # «5.3.27»: 2027; others stay, to be warned of
                year += 2000
            after = i + 1 if year is None else self.skip_year_words(i + 1)  # «09.11.2026 года»
            return Unit("day", day, month, year, token.text), after
        if kind == "month":  # «сент.», «янв.-февр.»: the abbreviation's dot goes with it
            after = i + 1 + (self.kinds[i + 1] == "dot")
            return Unit("month", token.value, text=token.text), after
        if kind == "season":
            first, last = token.value
            return Unit("season", first, last, text=token.text), i + 1
        if kind in ("num", "numeral"):
            return self.numbered(i)
        if kind == "word" and token.value in vocab.YEAR_DEIXIS:
            shift = vocab.YEAR_DEIXIS[token.value]
            if self.units[i + 1] == "year":
                return Unit("year", self.reference_year + shift, text=token.text), i + 2
            return self.deictic_period(i, shift)
        if self.units[i] == "year" and self.words[i - 1] in _YEAR_CONTEXT:
            return Unit("year", self.reference_year, text=token.text), i + 1
        if self.units[i] == "year" and self.is_named_year(i):  # «в Год педагога и наставника»
            return Unit("year", self.reference_year, text=token.text), i + 1
        before = self.words[i - 1 - (self.words[i - 1] in _EACH)]
        if self.units[i] in _PERIOD_UNITS and before in vocab.PART_WORDS:
            unit = self.period_unit(self.units[i], 0, token.text)  # «в конце квартала»
            return unit, i + 1
        academic = self.words[i - 1].startswith("учебн") and self.kinds[i - 2] != "num"
        if self.units[i] == "year" and academic:  # not «2026-2027 учебного года»
            return Unit("academic", 0, text="учебный год"), i + 1
        return None

    def is_named_year(self, i: int) -> bool:
        """«в Год педагога и наставника»: a year named after a theme (the reference year),
        not «раз в год до 1 марта» nor «в год 80-летия»."""
        if self.tokens[i].text not in ("год", "года", "году") or self.words[i - 1] not in _IN:
            return False
        following = self.words[i + 1]
        if not following or following in _DAY_LIST_WORDS or following in vocab.FILLER_WORDS:
            return False
        return self.units[i - 2] != "times" and self.kinds[i - 2] not in ("num", "numeral")

    def deictic_period(self, i: int, shift: int) -> tuple[Unit, int] | None:
        """«конца текущего квартала», «в следующем месяце»: the reference's period, or the
        one after it."""
        kind = self.units[i + 1]
        if kind not in _PERIOD_UNITS or self.words[i - 1] not in _DEIXIS_CONTEXT:
            return None
        text = f"{self.tokens[i].text} {self.tokens[i + 1].text}"
        return self.period_unit(kind, shift, text), i + 2

    def period_unit(self, kind: str, shift: int, text: str) -> Unit:
        """The reference's quarter, half-year or month (`kind`), or `shift` ones later."""
        length = {"quarter": 3, "half": 6, "months": 1}[kind]
        index = (self.reference_year * 12 + self.reference_month - 1) // length + shift
        year, n = divmod(index, 12 // length)
        return Unit("month" if kind == "months" else kind, n + 1, year=year, text=text)

    def numbered(self, i: int, tens: int = 0) -> tuple[Unit, int] | None:
        """A number or numeral and the word after it: «14 мая», «II квартал», «2027 год»."""
        token = self.tokens[i]
        year = self.years[i] if token.kind == "num" else None
        if year is not None:
            return Unit("year", year, text=token.text), self.skip_year_words(i + 1)
        n: int = token.value + tens
        if token.text in vocab.TENS_WORDS and self.kinds[i + 1] == "numeral" and not tens:
            unit = self.tokens[i + 1].value  # «двадцать восьмого февраля»
            return self.numbered(i + 1, n) if 1 <= unit <= 9 else None
        if self.is_list_label(i):
            return None
        if self.kinds[i + 1] == "weekday":
            return self.weekday(i, n)
        following = self.tokens[i + 1] if i + 1 < self.size else None
        if following is not None and following.kind == "month":
            text = f"{token.text} {following.text}"
            after = i + 2 + (self.kinds[i + 2] == "dot")
            return Unit("day", n, following.value, text=text), after
        unit = self.units[i + 1]
        if unit == "decade" or (unit == "half" and self.kinds[i + 2] == "month"):
            return self.decade(i, n)  # «первая декада мая», «вторая половина мая»
        if unit == "months" and self.units[i - 2] == "times":  # «1 раз в 6 месяцев»
            return Unit("skip", n, text=token.text), i + 2
        if unit == "months":  # «второго месяца, следующего за отчетным»: a marker's words
            k = i + 2 + (self.kinds[i + 2] == "sep")
            if self.words[k].startswith("следующ") or self.units[k] in ("quarter", "half"):
                return Unit("skip", n, text=token.text), k + (self.units[k] != "")
        if unit in _NUMBERED:
            after = i + 2 + (self.kinds[i + 2] == "dot")
            return Unit(unit, n, text=token.text), after
        if unit in _LABELS:
            return None
        return Unit("bare", n, text=token.text), i + 1

    def weekday(self, i: int, n: int) -> tuple[Unit, int] | None:
        """«третье воскресенье августа», «в последнюю субботу июня»: a weekday of a month."""
        after = i + 2 + (self.kinds[i + 2] == "dot")
        if not (1 <= n <= 5 or n == -1):
            return None
        weekday: int = self.tokens[i + 1].value
        if self.kinds[after] != "month":  # «в последнюю пятницу каждого месяца»
            skipped = self.this_month(after)
            if not skipped:
                return None
            text = " ".join(token.text for token in self.tokens[i : after + skipped])
            unit = Unit("weekday", n, self.reference_month, self.reference_year, text, weekday)
            return unit, after + skipped
        month = self.tokens[after]
        text = " ".join(token.text for token in self.tokens[i : after + 1])
        unit = Unit("weekday", n, month.value, text=text, weekday=weekday)
        return unit, after + 1 + (self.kinds[after + 1] == "dot")

    def this_month(self, j: int) -> int:
        """How many tokens say «the month» at `j` («месяца», «каждого месяца»,
        «текущего месяца»): the reference month (per occurrence of a monthly duty); or 0."""
        each = self.words[j] in _EACH or self.words[j] in vocab.YEAR_DEIXIS
        if self.words[j] in vocab.YEAR_DEIXIS and vocab.YEAR_DEIXIS[self.words[j]] != 0:
            return 0
        k = j + each
        return k + 1 - j if self.units[k] == "months" and self.kinds[k + 1] != "num" else 0

    def decade(self, i: int, n: int) -> tuple[Unit, int]:
        """«первая декада мая», «II декада июня»: ten days of a month (the third, the rest);
        «вторая половина мая»: its 16th to last day."""
        after = i + 2 + (self.kinds[i + 2] == "dot")
        month = self.tokens[after].value if self.kinds[after] == "month" else None
        kind = "decade" if self.units[i + 1] == "decade" else "half_month"
        if n == -1:  # «последняя декада», «последняя половина»: the third, the second
            n = 3 if kind == "decade" else 2
        skipped = self.this_month(after) if month is None else 0
        if skipped:  # «в первой декаде каждого месяца»: of the reference month
            text = " ".join(token.text for token in self.tokens[i : after + skipped])
            return Unit(kind, n, self.reference_month, self.reference_year, text), after + skipped
        text = " ".join(token.text for token in self.tokens[i : after + (month is not None)])
        return Unit(kind, n, month, text=text), after + (month is not None)

    def with_year(self, i: int) -> tuple[Unit, int] | None:
        """A unit and the single year written right after it («март 2026 г.», «III кв. 2027»)."""
        found = self.unit(i)
        if found is None:
            return None
        unit, j = found
        if unit.kind == "year":
            return unit, j
        k = j + (self.words[j] in _PERIOD_WORDS)  # «летний период 2026 года»
        year = self.years[k]
        if year is not None and not self.starts_year_range(k):
            unit.year = year
            return unit, self.skip_year_words(k + 1)
        deixis = self.words[j]
        if deixis in vocab.YEAR_DEIXIS and self.units[j + 1] == "year":
            unit.year = self.reference_year + vocab.YEAR_DEIXIS[deixis]
            return unit, j + 2
        return unit, j

    def starts_year_range(self, i: int) -> bool:
        return self.range_end_year(i) is not None

    def range_end_year(self, i: int) -> int | None:
        """The index of the last year of a range of years starting at `i`: «2026 – 2028»,
        «2026-2028 гг.», or «2025 2027 годы» (a dash lost in copying)."""
        j = self.skip_year_words(i + 1)
        if self.kinds[j] == "dash":
            j += 1
        elif j != i + 1 or j + 1 >= self.size or self.tokens[j + 1].text not in _YEARS_PLURAL:
            return None
        return j if self.years[j] is not None else None

    def year_range(self, i: int) -> tuple[tuple[int, ...], int] | None:
        """«2026 – 2028 годов» after a unit or range: the years it repeats in."""
        first = self.years[i]
        if first is None:
            return None
        j = self.range_end_year(i)
        if j is None:
            return None
        last = self.years[j]
        assert last is not None
        end = self.skip_year_words(j + 1)
        if not 0 <= last - first <= 30:
            return (first, last), end
        return tuple(range(first, last + 1)), end

    # --- groups ------------------------------------------------------------------------

    def group(self, i: int, *, range_open: bool) -> tuple[Group, int] | None:
        """A unit, or a range of two («май-июль», «с 3 по 7 ноября»), with its year(s)."""
        found = self.with_year(i)
        if found is None:
            return None
        start, j = found
        group = Group(start)
        # The guards on `self.years` skip calls that would find no year (most groups).
        years = self.year_range(j) if start.kind != "year" and self.years[j] is not None else None
        if years is not None:
            group.years, j = years
            return group, j
        if self.kinds[j] == "dot" and (
            self.kinds[j + 1] == "dash" or self.words[j + 1] in vocab.RANGE_CLOSE
        ):  # «03.- 07.11.25», «с 03. по 07.11.2025»
            j += 1
        closer = self.words[j]
        # «1-го по 5-е мая» closes a range without «с»; «до» alone would be a limit.
        connector = self.kinds[j] == "dash" or (
            closer in vocab.RANGE_CLOSE and (range_open or closer == vocab.BARE_RANGE_CLOSE)
        )
        adjacent_month = start.kind == "month" and start.year is None and self.kinds[j] == "month"
        adjacent_year = start.kind == "year" and self.range_end_year(i) == j  # «2025 2027 годы»
        if connector or adjacent_month or adjacent_year:
            k = j + (not (adjacent_month or adjacent_year))
            end_part = vocab.PART_WORDS.get(self.words[k], "") if connector else ""
            end = self.with_year(k + bool(end_part))  # «конец сентября – начало октября»
            heading = start.kind == "month" and self.kinds[j] == "dash"
            if end is not None and heading and end[0].kind == "bare":
                group.heading = True
                return group, k  # «март – 3, 10; апрель – 7»: a heading, its days follow
            if end is not None:
                group.end, j = end
                group.end_part = end_part
                self.academic_year(group, j)
        years = self.year_range(j) if self.years[j] is not None else None
        if years is not None:
            group.years, j = years
        return group, j

    def read(self) -> Reading:
        """Every group in the phrase, with its role (limit, inside parentheses); when every
        group is inside parentheses («ежемесячно (до 10 числа …)»), none is a remark."""
        reading = self.read_groups()
        groups = reading.groups
        if groups and all(group.in_paren for group in groups):
            for group in groups:
                group.in_paren = False
        return reading

    def read_groups(self) -> Reading:
        i = 0
        kinds, words, deixis = self.kinds, self.words, vocab.YEAR_DEIXIS
        while i < self.size:
            kind = kinds[i]
            if kind in ("sep", "lp", "rp"):
                self.depth += (kind == "lp") - (kind == "rp")
                self.year_owner = self.owning_year(i) if kind == "lp" else self.year_owner
                self.limit = self.range_open = self.reported = False
                self.onward = self.part = ""
                i += 1
            elif kind == "weekday":  # «5 (четверг)»: a remark on the day
                i += 1
            elif kind == "word" and (words[i] not in deixis or not self.starts_year_deixis(i)):
                self.word_step(words[i])
                i += 1
            elif kind == "date" and self.is_clock_time(i):
                i += 1
            else:
                i = self.group_step(i)
        return self.reading

    def group_step(self, i: int) -> int:
        """Read the group at `i` (or report the token), and return the index after it."""
        found = self.group(i, range_open=self.range_open)
        if found is None:
            if self.kinds[i] == "dash" and self.part and self.words[i + 1] in vocab.PART_WORDS:
                self.part_from = self.part  # «в начале – середине мая»
            self.skip(i)
            return i + 1 + (self.units[i + 1] in _LABELS)
        group, end = found
        group.limit, group.in_paren = self.limit, self.depth > 0
        group.onward, self.onward = self.onward, ""
        group.part, group.reported = self.part, self.reported
        self.part, self.reported = "", False
        if group.end is None and end < self.size and self.tokens[end].text == ":":
            kind = group.start.kind
            group.heading = kind == "month"  # «в марте: 3-4, 10-11»
            # «в I полугодии: до 30 июня»: a reported period, its deadline after the colon
            group.reported = group.reported or kind in ("quarter", "half")
        # Cheap necessary conditions first: each rule below is rare.
        remark = self.kinds[i - 1] in ("rp", "sep") and self.year_after_remark(group, i, end)
        if group.start.kind == "skip":
            remark = True
        if not remark and not (self.starting and self.starting_year(group)):
            if self.year_owner is not None:
                self.refine_year(group)
            self.reading.groups.append(group)
        self.starting = False
        self.limit = self.range_open = False
        return end

    def starting_year(self, group: Group) -> bool:
        """«ежегодно до 1 апреля, начиная с 2027 года»: the year the dates before it start in."""
        start = group.start
        plain = start.kind == "year" and group.end is None and not group.years
        if not self.starting or not plain or group.limit:
            return False
        earlier = [g for g in self.reading.groups if (g.end or g.start).kind != "year"]
        for previous in earlier:
            last = previous.end or previous.start
            if last.year is None and not previous.years:
                last.year = start.n
        return bool(earlier)

    def owning_year(self, i: int) -> Group | None:
        """«2026 г. (II полугодие)»: a bare year right before «(» that its remark narrows."""
        groups = self.reading.groups
        last = groups[-1] if groups else None
        if last is None or last.start.kind != "year" or last.end is not None or last.limit:
            return None
        previous = self.kinds[i - 1]
        return last if previous in ("num", "unit", "dot") and not last.in_paren else None

    def refine_year(self, group: Group) -> None:
        owner = self.year_owner
        unit = group.end or group.start
        if owner is None or not group.in_paren or group.limit or unit.kind == "year":
            return
        if unit.year is None and not group.years:
            unit.year = owner.start.n
            owner.start.kind = "skip"

    def starts_year_deixis(self, i: int) -> bool:
        """«текущего года», «следующего года», «конца текущего квартала»: a period named by
        a word."""
        if self.words[i] not in vocab.YEAR_DEIXIS:
            return False
        unit = self.units[i + 1]
        if unit == "year":
            return True
        return unit in ("quarter", "half", "months") and self.words[i - 1] in _DEIXIS_CONTEXT

    def year_after_remark(self, group: Group, i: int, end: int) -> bool:
        """«сентябрь (по согласованию сторон) 2026 года», «октябрь-ноябрь, 2026»: the year
        belongs to what comes before the remark or the comma."""
        groups = self.reading.groups
        before = self.tokens[i - 1].text if i > 0 else ""
        final = self.kinds[end] in ("end", "dot") and end + 1 >= self.size
        if not (before == ")" or (before == "," and final)):
            return False
        if not groups or group.start.kind != "year":
            return False
        if group.end is not None or group.years or group.limit or group.in_paren:
            return False
        previous = groups[-1]
        last = previous.end or previous.start
        if previous.years or last.year is not None or last.kind == "year" or previous.in_paren:
            return False
        last.year = group.start.n
        return True

    def word_step(self, word: str) -> None:
        """A plain word: it may make the next group a limit, open a range, or end a list."""
        if word not in _DAY_LIST_WORDS:
            self.reading.worded = True
        part = vocab.PART_WORDS.get(word)
        if part is not None:  # «в конце мая», «до конца мая»: the limit, if any, stays
            self.part = f"{self.part_from}>{part}" if self.part_from else part
            self.part_from = ""
            return
        if word in vocab.REPORTED_WORDS:  # «за III квартал – не позднее 20 октября»
            self.reported = True
            self.limit = self.range_open = False
            return
        if (word in vocab.LIMIT_WORDS and not self.range_open) or word in vocab.END_WORDS:
            self.limit = True
        elif word in vocab.RANGE_OPEN:
            self.range_open = True
        elif word in vocab.STARTING_WORDS:
            self.starting = True
        elif word in vocab.ONWARD_WORDS:
            self.onward = vocab.ONWARD_WORDS[word]
            self.limit = self.range_open = False
        elif word not in vocab.FILLER_WORDS:
            self.limit = self.range_open = self.reported = False
            self.onward = self.part = ""

    def is_clock_time(self, i: int) -> bool:
        """«17 мая 11.00»: a year-less numeric pair right after a date is a time of day."""
        token = self.tokens[i]
        if token.kind != "date" or token.value[2] is not None:
            return False
        hours, minutes = token.value[0], token.value[1]
        after_date = self.kinds[i - 1] in ("month", "date") or self.units[i - 1] == "year"
        return (after_date or not 1 <= minutes <= 12) and hours <= 23 and minutes <= 59

    def academic_year(self, group: Group, j: int) -> None:
        """«2026/2027 учебный год»: from 1 September of the first year to 31 August."""
        start, end = group.start, group.end
        if end is None or start.kind != "year" or end.kind != "year" or end.n != start.n + 1:
            return
        if self.words[j].startswith("учебн"):
            group.start = Unit("month", 9, year=start.n, text=start.text)
            group.end = Unit("month", 8, year=end.n, text=end.text)

    def is_list_label(self, i: int) -> bool:
        """«1) май 2026; 2) июнь 2026»: a number opening a list member is no date."""
        return self.kinds[i + 1] == "rp" and self.kinds[i - 1] in ("sep", "end")

    def skip(self, i: int) -> None:
        """A token no rule took: numbers and dates are reported, words are remarks."""
        token = self.tokens[i]
        if self.is_list_label(i):
            return
        if token.kind in ("num", "date", "numeral") and self.units[i + 1] not in _LABELS:
            previous = self.units[i - 1]
            if previous not in _LABELS:
                self.reading.leftovers.append(token.text)


def _drop_remarks(tokens: list[Token]) -> list[Token]:
    """«с 14 сентября (понедельник) по 20 сентября (воскресенье)»: parentheses holding words
    only (no number, month or unit) hold no date, and must not break the range around them."""
    kept: list[Token] = []
    i, size = 0, len(tokens)
    while i < size:
        if tokens[i].kind == "lp":
            j = i + 1
            while j < size and tokens[j].kind in _REMARK_KINDS:
                j += 1
            if j < size and j > i + 1 and tokens[j].kind == "rp":
                i = j + 1
                continue
        kept.append(tokens[i])
        i += 1
    return kept


def read(tokens: list[Token], *, reference_year: int, reference_month: int = 1) -> Reading:
    """The groups of one tokenized phrase."""
    for kind, _, _ in tokens:
        if kind == "lp":
            tokens = _drop_remarks(tokens)
            break
    return _Parser(tokens, reference_year, reference_month).read()
