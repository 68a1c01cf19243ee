"""Splitting long HTML for Telegram: measured on the visible text, never inside an entity
or a tag, every part balanced, nothing lost."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from messages import split_message, visible_length, visible_text

ENTITY_OR_TAG = re.compile(r"&[#a-zA-Z0-9]*;|<[^<>]*>")
TAGS = re.compile(r"<(/?)([a-z-]+)[^<>]*>")


def _balanced(part: str) -> bool:
    stack: list[str] = []
    for closing, name in TAGS.findall(part):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def _intact(part: str) -> bool:
    """No half entity («&am» / «p;») or half tag at either end of a part."""
    bare = ENTITY_OR_TAG.sub("", part)
    return "&" not in bare and "<" not in bare and ">" not in bare


def _no_blank(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_an_entity_at_the_cut_stays_whole() -> None:
    text = "а" * 4095 + "&amp;" + "б" * 10
    parts = split_message(text)
    assert parts == ["а" * 4095 + "&amp;", "б" * 10]
    assert all(_intact(p) for p in parts)


def test_the_limit_is_the_visible_length_not_the_raw_html() -> None:
    # 3,000 visible characters, 15,000 raw: one message, not four.
    text = "&lt;&gt;&amp;" * 1000
    assert visible_length(text) == 3000
    assert split_message(text) == [text]
    bold = "".join(f"<b>{i % 10}</b>" for i in range(4000))
    assert split_message(bold) == [bold]


def test_three_long_reminders_take_as_few_messages_as_their_visible_text_needs() -> None:
    """Three reminders of about 5,400 visible characters each, as in the issue: with the
    raw HTML measured they took 14 messages; their visible text needs 4 or 5."""
    item = "<b>1.{n}</b> «Дни культуры &amp; ярмарка» — <i>{title}</i>\n"
    body = "".join(
        item.format(n=n, title=html.escape("Проект <№ " + str(n) + "> & ко " * 3))
        for n in range(82)
    )
    assert 5000 < visible_length(body) < 6000
    text = "\n\n".join([body] * 3)
    parts = split_message(text)
    assert len(parts) <= 5  # ceil(16,200 / 4,096) = 4, plus cuts at line ends
    assert all(visible_length(p) <= 4096 and _balanced(p) and _intact(p) for p in parts)
    assert _no_blank("".join(visible_text(p) for p in parts)) == _no_blank(visible_text(text))


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    text = '<b>Итог</b>\n<a href="https://t.me/x?a=1&amp;b=2"><i>' + "слово " * 1500 + "</i></a>"
    parts = split_message(text, limit=1000)
    assert len(parts) > 1
    for part in parts[1:]:
        assert part.startswith('<a href="https://t.me/x?a=1&amp;b=2"><i>')
        assert part.endswith("</i></a>")
    assert all(_balanced(p) for p in parts)


def test_a_part_is_cut_between_lines_then_words() -> None:
    lines = [f"строка номер {i}" for i in range(600)]
    parts = split_message("\n".join(lines), limit=500)
    for part in parts:
        assert part.rstrip("\n").split("\n")[-1] in lines  # whole lines only
    words = split_message("слово " * 500, limit=100)
    assert all(p.strip().split(" ")[-1] == "слово" for p in words)


def test_emoji_count_twice() -> None:
    parts = split_message("😀" * 100, limit=50)
    assert [visible_length(p) for p in parts] == [50, 50, 50, 50]


_pieces = st.one_of(
    st.text(alphabet="аб cd\n😀", min_size=1, max_size=30).map(html.escape),
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#128512;", "&#x41;", "\n", " "]),
)


@st.composite
def _html(draw: st.DrawFn) -> str:
    """Telegram HTML: escaped text and entities inside properly nested tags."""

    def node(depth: int) -> str:
        if depth > 3 or draw(st.booleans()):
            return "".join(draw(st.lists(_pieces, min_size=1, max_size=8)))
        tag = draw(
            st.sampled_from(["b", "i", "u", "s", "code", 'a href="https://x.org/?a=1&amp;b"'])
        )
        name = tag.split(" ")[0]
        inner = "".join(node(depth + 1) for _ in range(draw(st.integers(1, 3))))
        return f"<{tag}>{inner}</{name}>"

    return "".join(node(0) for _ in range(draw(st.integers(1, 12))))


@settings(max_examples=300, deadline=None)
@given(text=_html(), limit=st.integers(min_value=8, max_value=120))
def test_parts_never_break_an_entity_or_tag_and_lose_nothing(text: str, limit: int) -> None:
    parts = split_message(text, limit=limit)
    for part in parts:
        assert visible_length(part) <= limit
        assert _intact(part), part
        assert _balanced(part), part
    joined = "".join(visible_text(p) for p in parts)
    assert _no_blank(joined) == _no_blank(visible_text(text))
    if all(visible_text(p).strip() for p in parts) and visible_text(text).strip():
        # Only parts that would be blank (Telegram refuses those) are left out.
        assert len(joined) <= len(visible_text(text))
