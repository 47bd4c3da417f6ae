"""search.present.bidi: Arabic lines as a terminal without bidi support must be given them."""

from __future__ import annotations

import arabic_reshaper

from search.present.bidi import has_rtl, is_rtl, visual_line, visual_lines, visual_segments

#: Arabic Presentation Forms-B: the joined letter shapes a terminal draws as they come.
PRESENTATION_FORMS = range(0xFE70, 0xFF00)


def shaped(text: str) -> bool:
    return any(ord(c) in PRESENTATION_FORMS for c in text)


def test_a_word_is_joined_and_reversed():
    assert visual_line("داعش") == arabic_reshaper.reshape("داعش")[::-1]
    assert shaped(visual_line("داعش")) and not shaped("داعش")


def test_latin_and_digits_keep_their_order_inside_arabic():
    line = visual_line("قال 2017 إن ISIS انسحب")
    assert "2017" in line and "ISIS" in line
    assert line.index("ISIS") < line.index("2017")  # read from the right: 2017 comes first


def test_brackets_are_mirrored_in_right_to_left_text():
    for text in ("قال (داعش)", "من «الرقة» اليوم"):
        line = visual_line(text)
        opening, closing = ("(", ")") if "(" in text else ("«", "»")
        assert line.index(opening) < line.index(closing), line


def test_direction_is_the_first_strong_letter():
    assert is_rtl("1. انسحاب ISIS") and not is_rtl("ISIS انسحاب") and not is_rtl("2017")
    assert has_rtl("ISIS انسحاب") and not has_rtl("score 1.5 · id-3")


def test_a_paragraph_is_wrapped_before_it_is_reordered():
    words = "انسحاب مقاتلي داعش من الرقة بعد اتفاق برعاية وجهاء محليين في المدينة".split()
    lines = visual_lines(" ".join(words), 20)
    assert len(lines) > 1
    assert all(len(line) == 20 for line in lines)  # right-aligned to the width
    assert lines[0].endswith(visual_line(words[0]))  # the first word starts the first line, at its right
    assert lines[-1].lstrip().startswith(visual_line(words[-1]))
    rebuilt = [w for line in lines for w in reversed(line.split())]
    assert rebuilt == [visual_line(w) for w in words]


def test_a_right_to_left_paragraph_keeps_its_direction_on_every_line():
    lines = visual_lines("انسحاب القوات Coalition forces withdrawal announced today من سوريا", 20)
    assert all(len(line) == 20 for line in lines)


def test_left_to_right_paragraphs_are_not_aligned_right():
    assert visual_lines("ISIS left الرقة\n\nسوريا", 30) == [
        "ISIS left " + visual_line("الرقة"),
        "",
        visual_line("سوريا").rjust(30),
    ]


def test_highlights_stay_on_their_words():
    segments = [
        ("قال إن ", False), ("الانْسِحَابُ", True), (" من «", False), ("الرقة", True),
        ("» بدأ، وأن الرقة ستبقى 2017 ", False), ("ISIS", True),
    ]
    lines = visual_segments(segments, 30)
    marked = [text for line in lines for text, is_marked in line if is_marked]
    # Harakat dropped with shaping; the guillemets stay unmarked; every occurrence of a marked word is marked.
    assert sorted(marked) == sorted([visual_line("الرقة"), visual_line("الانسحاب"), visual_line("الرقة"), "ISIS"])
    assert ["".join(text for text, _ in line) for line in lines] == visual_lines("".join(t for t, _ in segments), 30)


def test_unmarked_text_has_no_highlights():
    assert visual_segments([("انسحاب داعش", False)], 20) == [[(visual_line("انسحاب داعش").rjust(20), False)]]
