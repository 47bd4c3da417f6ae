"""Page furniture in scraped article text: what it looks like and how it is dropped.

A saved news page carries more than the article: a "latest news" ticker, widget words
(``icon``, ``+ الخط -``, ``حجم الخط``), photo captions with their credit, and trailing
blocks (``المساهمون``, ``الأكثر مشاركة``, the site's bare domain). Each kind is one
small predicate over a stripped line, so each can be tested on its own and the list
grows without touching the rest. :func:`clean_lines` applies them all. Only the indexed
text is cleaned: the file on disk is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from index.ingest.dates import fold

#: Lines that are only a widget label (folded, compared whole).
WIDGETS = frozenset(
    {
        "icon", "التغطيه الحيه", "تغطيه حيه", "بث مباشر", "+ الخط -", "- الخط +", "الخط", "حجم الخط",
        "تكبير الخط", "تصغير الخط", "+a", "-a", "a+", "a-", "a", "aa", "طباعه", "ارسال", "مشاركه",
        "شارك", "شارك الخبر", "شارك المقال", "شارك هذا المقال", "نسخ الرابط", "الرابط المختصر",
        "تغريد", "غرد", "تويتر", "فيسبوك", "فيس بوك", "واتساب", "تيليجرام", "لينكدان", "البريد الالكتروني",
        "print", "share", "tweet", "email", "whatsapp", "facebook", "twitter", "telegram",
        "تابعونا", "تابعنا", "اقرا ايضا", "اقرا المزيد", "المزيد", "التعليقات", "تعليقات", "اضف تعليق",
        "الرئيسيه", "عاجل", "استمع", "استمع للخبر", "حفظ", "قد يعجبك ايضا",
    }
)

#: Headings that open a block running to the end of the page (folded).
TRAILERS = frozenset(
    {
        "المساهمون", "الاكثر مشاركه", "الاكثر قراءه", "الاكثر مشاهده", "الاكثر تداولا", "اخبار ذات صله",
        "مواضيع ذات صله", "مقالات ذات صله", "اقرا ايضا", "اقرا ايضا:", "قد يهمك ايضا", "كلمات مفتاحيه",
        "الوسوم", "الكلمات الدالله", "المصدر الاصلي",
    }
)

#: The first step of a breadcrumb trail (folded): ``الرئيسية > أخبار > محليات``.
HOME_WORDS = frozenset({"الرئيسيه", "الصفحه الرئيسيه", "home", "homepage"})

#: Headings of a news ticker at the top of a page (folded).
TICKER_HEADINGS = frozenset(
    {"احدث الاخبار", "اخر الاخبار", "شريط الاخبار", "الاخبار العاجله", "عاجل", "اخبار عاجله", "الان"}
)

#: Photo credits: words that end a caption (folded, matched as whole words).
CREDITS = (
    "فرانس برس", "ا ف ب", "اف ب", "ا.ف.ب", "رويترز", "الاناضول", "اسوشيتد برس", "ارشيف", "ارشيفيه",
    "انترنت", "مواقع التواصل", "غيتي", "getty", "afp", "reuters", "ap", "epa", "dpa", "د ب ا",
    "shutterstock", "تصوير", "الصوره", "صوره", "photo", "وكالات", "سانا", "واس", "وام",
)
_CREDIT = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, CREDITS)) + r")(?![\w])")
_PAREN_END = re.compile(r"\(([^()]{2,60})\)\s*$")
_PIPE_END = re.compile(r"\|\s*([^|]{2,40})$")
_CAPTION_START = re.compile(r"^(?:الصوره|صوره|تصوير|photo)\s*[:：]")
_TICKER_ITEM = re.compile(r"^[\s•·▪●◦*\-–]*\d{1,2}:\d{2}\s*[.\-–|:]?\s*\S")
_MORE_END = re.compile(r"(?:\.\.\.|…)\s*المزيد$")
_BULLET = re.compile(r"^[•·▪●◦*]")
_CRUMB = re.compile(r"\s*[>»›/|]\s*")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/?$")
_SENTENCE_END = re.compile(r"[.!?؟]$")
_MAX_CAPTION_WORDS = 25
_MAX_TRAILER_ITEM_WORDS = 20
#: Widget labels and headings are short: longer lines skip those checks (and their cost).
_MAX_LABEL_WORDS = 4


def _short(line: str) -> bool:
    return len(line.split(None, _MAX_LABEL_WORDS)) <= _MAX_LABEL_WORDS


def strip_icon(line: str) -> str:
    """Drop leading icon-font glyphs (``Ⅶ``, ``►``, private-use characters) from a line."""
    i = 0
    while i < len(line) and (line[i].isspace() or unicodedata.category(line[i]) in ("So", "Nl", "Co", "Cn")):
        i += 1
    return line[i:]


def is_widget(line: str) -> bool:
    """A line that is only a widget label, a lone symbol, or a share/print/font control."""
    if line.strip() and not any(ch.isalnum() for ch in line):
        return True
    return _short(line) and fold(line) in WIDGETS


def is_ticker_heading(line: str) -> bool:
    return _short(line) and fold(line).rstrip(":") in TICKER_HEADINGS


def is_ticker_item(line: str) -> bool:
    """``• 10:50 . headline... المزيد``: a timestamped headline with a bullet or a "more" link."""
    if not _TICKER_ITEM.match(line):
        return False
    return bool(_BULLET.match(line.lstrip()) or _MORE_END.search(line))


def is_breadcrumb(line: str) -> bool:
    """``الرئيسية > أخبار > أخبار العالم العربي``: the page's place in the site, not its text."""
    parts = _CRUMB.split(fold(line))
    return len(parts) >= 2 and parts[0] in HOME_WORDS and all(0 < len(p.split()) <= _MAX_LABEL_WORDS for p in parts)


def is_caption(line: str) -> bool:
    """A photo caption: a short line ending in a credit, ``(name/agency)`` or ``| أ ف ب``."""
    text = strip_icon(line).strip()
    if not text or len(text.split(None, _MAX_CAPTION_WORDS)) > _MAX_CAPTION_WORDS:
        return False
    if not (text.endswith((")", "）")) or "|" in text or ":" in text[:12]):
        return False
    folded = fold(text)
    if _CAPTION_START.match(folded):
        return True
    for pattern in (_PAREN_END, _PIPE_END):
        match = pattern.search(folded)
        if not match:
            continue
        credit, before = match.group(1).strip(), folded[: match.start()].strip()
        if before and not _SENTENCE_END.search(before) and ("/" in credit or _CREDIT.search(credit)):
            return True
    return False


def is_trailer(line: str) -> bool:
    """A heading that opens the related/most-read block at the end of a page."""
    return _short(line) and fold(line).rstrip(":") in TRAILERS


def is_domain(line: str) -> bool:
    """A bare domain name such as ``m2pack.biz``, left by the page footer."""
    return bool(_DOMAIN.match(line.strip().lower()))


def _drop_ticker(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_ticker = False
    for line in lines:
        if is_ticker_heading(line):
            in_ticker = True
            continue
        if in_ticker and (not line.strip() or _TICKER_ITEM.match(line)):
            continue
        in_ticker = False
        if not is_ticker_item(line):
            kept.append(line)
    return kept


def _drop_tail(lines: list[str]) -> list[str]:
    """Cut trailing related/most-read blocks and trailing widgets, domains and blank lines.

    A trailer heading is cut with everything after it only when all that follows is
    short (headline lists, names): a heading followed by article text is left alone.
    """
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if len(line.split()) > _MAX_TRAILER_ITEM_WORDS:
            break
        if is_trailer(line):
            cut = i
    lines = lines[:cut]
    while lines and (not lines[-1].strip() or is_widget(lines[-1]) or is_domain(lines[-1])):
        lines = lines[:-1]
    return lines


def clean_lines(lines: Sequence[str]) -> list[str]:
    """The lines of a scraped page without its furniture; blank lines are kept as breaks."""
    stripped = [line.strip() for line in lines]
    kept = [
        line
        for line in _drop_ticker(stripped)
        if not line or not (is_widget(line) or is_caption(line) or is_breadcrumb(line))
    ]
    return _drop_tail(kept)
