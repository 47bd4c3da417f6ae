"""Terminal(bidi=True): what ``--bidi`` prints, rendered with colour so highlights can be read back."""

from __future__ import annotations

import datetime as dt
import io
import re

from rich.console import Console

from search.present.bidi import visual_line
from search.present.terminal import Terminal
from search.results import Document, Hit, Results

#: How rich writes the snippet highlight ("bold black on yellow") in 16 colours.
HIGHLIGHT = re.compile(r"\x1b\[1;30;43m(.*?)\x1b\[0m")
PRESENTATION_FORMS = re.compile("[\ufe70-\ufeff]")

RESULTS = Results(
    query="انسحاب الرقه",
    total=1,
    hits=[
        Hit(
            id="raqqa-1",
            title="انسحاب مقاتلي داعش من الرقة",
            source="المرصد",
            date=dt.date(2017, 10, 15),
            score=3.5,
            snippet="…قال إن <mark>الانْسِحَابُ</mark> من «<mark>الرقة</mark>» بدأ، وإن أهل <mark>الرقة</mark> عادوا…",
        )
    ],
    suggestions=["الرقة"],
)


def render(bidi: bool, width: int = 40) -> tuple[Terminal, io.StringIO]:
    """A terminal whose stdout keeps colour codes (a StringIO is not a tty)."""
    out = io.StringIO()
    term = Terminal(stdout=out, stderr=io.StringIO(), bidi=bidi)
    term.out = Console(file=out, force_terminal=True, color_system="standard", width=width, highlight=False, soft_wrap=True)
    return term, out


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_hits_are_shaped_only_with_bidi():
    term, out = render(bidi=True)
    term.results(RESULTS)
    assert PRESENTATION_FORMS.search(out.getvalue())
    term, out = render(bidi=False)
    term.results(RESULTS)
    assert not PRESENTATION_FORMS.search(out.getvalue())
    assert "انسحاب مقاتلي داعش من الرقة" in plain(out.getvalue())


def test_highlights_land_on_the_reshaped_words():
    term, out = render(bidi=True)
    term.results(RESULTS)
    marked = HIGHLIGHT.findall(out.getvalue())
    assert sorted(marked) == sorted([visual_line("الانسحاب"), visual_line("الرقة"), visual_line("الرقة")])


def test_highlights_without_bidi_are_unchanged():
    term, out = render(bidi=False)
    term.results(RESULTS)
    assert HIGHLIGHT.findall(out.getvalue()) == ["الانْسِحَابُ", "الرقة", "الرقة"]


def test_lines_fit_the_width_and_read_from_the_right():
    term, out = render(bidi=True, width=30)
    term.results(RESULTS)
    lines = plain(out.getvalue()).splitlines()
    assert all(len(line) <= 30 for line in lines)
    title = visual_line("1. انسحاب مقاتلي داعش من الرقة")
    assert title.rjust(30) in lines  # the rank at the right, where the title starts
    assert any(line.endswith(visual_line("…قال") + "   ") for line in lines)  # the snippet, indented on its right
    assert visual_line("هل تقصد: الرقة").rjust(30) in lines
    assert "1 of 1 matching documents" in lines  # English lines as they were


def test_label_lines_stay_left_to_right():
    term, out = render(bidi=True)
    term.document(Document(id="raqqa-1", title="انسحاب", body="قال (داعش)\n\nانسحب", source="المرصد"))
    lines = plain(out.getvalue()).splitlines()
    assert "source: " + visual_line("المرصد") in lines
    assert visual_line("قال (داعش)").rjust(40) in lines and visual_line("انسحب").rjust(40) in lines


def test_errors_quoting_arabic_are_turned():
    err = io.StringIO()
    Terminal(stdout=io.StringIO(), stderr=err, bidi=True).error("no document with id 'الرقة'")
    assert err.getvalue() == f"error: no document with id '{visual_line('الرقة')}'\n"


def test_json_is_never_shaped():
    term, out = render(bidi=True)
    term.json(RESULTS.to_json())
    assert not PRESENTATION_FORMS.search(out.getvalue()) and "<mark>الرقة</mark>" in out.getvalue()
