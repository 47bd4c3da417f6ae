"""Syndicated copies (index.build.copies): which texts are one story, which stay apart."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from index.analysis.normalize import normalize_text
from index.build.copies import CopyFinder, CopySettings
from index.ingest.duplicates import body_words

# A fictional agency story, written for these tests.
STORY = (
    "أعلنت وزارة النقل اليوم افتتاح الطريق الساحلي الجديد الذي يربط مدينة الواحة بميناء الشمال "
    "بعد ثلاث سنوات من العمل المتواصل وقال المتحدث باسم الوزارة إن الطريق يختصر زمن الرحلة "
    "إلى النصف ويخدم أكثر من مليون مسافر كل عام وأضاف أن المشروع شمل إنشاء اثني عشر جسرا "
    "ونفقين تحت التلال الرملية إلى جانب محطات للاستراحة والتزود بالوقود على امتداد الطريق "
    "وأكد أن أعمال الصيانة ستبدأ مطلع العام المقبل وفق خطة تشارك فيها البلديات المجاورة "
    "كما دعا السائقين إلى الالتزام بالسرعة المحددة حفاظا على سلامتهم وسلامة الآخرين"
)
PARAGRAPH = (
    " وفي سياق متصل أوضح مدير المشروع أن تكلفة الطريق بلغت مليارين ومئتي مليون ريال "
    "وأن الشركات المنفذة وظفت أكثر من ثلاثة آلاف عامل من أبناء المنطقة خلال فترة البناء"
)
# The same subject, written by other hands: another story.
OTHER_ON_SUBJECT = (
    "انتقد عدد من سكان مدينة الواحة تأخر افتتاح الطريق الساحلي مطالبين وزارة النقل بتوضيح "
    "أسباب التأخير وقال أحد التجار إن الحركة التجارية تراجعت بسبب الازدحام في الطرق القديمة "
    "فيما طالب آخرون بإنشاء محطات للنقل العام قرب الأحياء السكنية وتخفيض رسوم العبور "
    "وردت الوزارة في بيان مقتضب بأن العمل يسير وفق الجدول المعتمد وأن التأخير يعود إلى "
    "الظروف الجوية التي شهدتها المنطقة في الشتاء الماضي ووعدت بإعلان موعد الافتتاح قريبا"
)
DAY = dt.date(2024, 5, 1)


def _copy_kinds() -> dict[str, str]:
    words = STORY.split()
    changed = list(words)
    for i in (7, 30, 55):  # a few words changed
        changed[i] = "المحدثة"
    return {
        "the same text": STORY,
        "a dateline and a byline added": "الواحة - وكالة الأنباء - كتب سامي العلي: " + STORY,
        "a paragraph added": STORY + PARAGRAPH,
        "the last sentence dropped": STORY.rsplit(" كما ", 1)[0],
        "a few words changed": " ".join(changed),
        "spelled with harakat and other hamzas": STORY.replace("أعلنت", "اعلنت").replace("إلى", "الى").replace("الطريق", "الطَّريق"),
    }


@pytest.mark.parametrize("kind", list(_copy_kinds()))
def test_copies_of_one_story_meet(kind):
    finder = CopyFinder()
    assert finder.assign("first", STORY + PARAGRAPH if kind == "the last sentence dropped" else STORY, DAY) == "first"
    assert finder.assign("copy", _copy_kinds()[kind], DAY + dt.timedelta(days=1)) == "first"


@pytest.mark.parametrize(
    "kind, text, date",
    [
        ("another story on the same subject", OTHER_ON_SUBJECT, DAY),
        ("the same text a month later (a template reused)", STORY, DAY + dt.timedelta(days=30)),
        ("the same text three days later (the next event's report)", STORY, DAY + dt.timedelta(days=3)),
        ("a text too short to compare", "أعلنت وزارة النقل اليوم افتتاح الطريق الساحلي الجديد", DAY),
    ],
)
def test_other_stories_stay_apart(kind, text, date):
    finder = CopyFinder()
    finder.assign("first", STORY, DAY)
    assert finder.assign("other", text, date) == "other"


def test_undated_copies_meet():
    finder = CopyFinder()
    finder.assign("first", STORY, None)
    assert finder.assign("copy", STORY + PARAGRAPH, DAY) == "first"


def test_stories_survive_save_and_load_and_a_forgotten_document_is_no_story(tmp_path):
    finder = CopyFinder()
    finder.assign("first", STORY, DAY)
    finder.assign("other", OTHER_ON_SUBJECT, DAY)
    finder.save(tmp_path / "copies.npz")

    again = CopyFinder.load(tmp_path / "copies.npz")
    assert again.assign("copy", STORY + PARAGRAPH, DAY) == "first"
    again.forget("first")
    again.forget("copy")
    assert again.assign("late copy", STORY, DAY) == "late copy"


def test_a_replaced_document_keeps_no_old_story():
    finder = CopyFinder()
    finder.assign("first", STORY, DAY)
    assert finder.assign("second", STORY, DAY) == "first"
    # "second" is edited into another story: it is compared afresh.
    assert finder.assign("second", OTHER_ON_SUBJECT, DAY) == "second"


@pytest.mark.parametrize("content", [b"", b"not an npz file", None])
def test_a_missing_or_damaged_file_gives_an_empty_finder(tmp_path, content):
    path = tmp_path / "copies.npz"
    if content is not None:
        path.write_bytes(content)
    finder = CopyFinder.load(path)
    assert finder.assign("a", STORY, DAY) == "a"


def test_a_file_saved_with_other_settings_is_not_used(tmp_path):
    finder = CopyFinder(CopySettings(threshold=0.9))
    finder.assign("first", STORY, DAY)
    finder.save(tmp_path / "copies.npz")
    assert CopyFinder.load(tmp_path / "copies.npz").ids == []


def test_copies_meet_across_the_sorted_bands_and_the_latest_ones():
    class Small(CopyFinder):
        PENDING = 2  # bands move into the sorted arrays every two documents

    finder = Small()
    finder.assign("first", STORY, DAY)
    finder.assign("other", OTHER_ON_SUBJECT, DAY)
    finder.assign("third", "خبر قصير", DAY)
    assert finder.assign("copy", STORY + PARAGRAPH, DAY) == "first"
    assert finder.assign("late copy", PARAGRAPH + " " + STORY, DAY) == "first"


def test_a_new_story_never_takes_a_key_still_in_use():
    finder = CopyFinder()
    finder.assign("first", STORY, DAY)
    finder.assign("copy", STORY + PARAGRAPH, DAY)
    finder.forget("first")
    # "first" comes back as another article: its old key still groups "copy".
    assert finder.assign("first", OTHER_ON_SUBJECT, DAY) == "first~2"
    assert finder.story("copy") == "first"



def test_signatures_are_datasketchs():
    """The numpy MinHash equals datasketch's own (saved signatures stay comparable)."""
    from datasketch import MinHash

    from index.build.copies import shingle_hashes
    from index.ingest.duplicates import body_words

    finder = CopyFinder()
    words = "أعلنت القوات انسحابها من المدينة بعد معارك عنيفة استمرت أسابيع وقال المتحدث إن الانسحاب سيكتمل".split()
    for n in range(1, 21):
        body = " ".join(words[k % len(words)] + words[(k * n + k // 7) % len(words)] for k in range(60))
        hashes = shingle_hashes(body_words(body), finder.settings.shingle)
        minhash = MinHash(num_perm=64, hashfunc=int, scheme="affine32")
        minhash.update_batch(hashes.tolist())
        assert finder.signature(body).tolist() == (minhash.hashvalues & 0xFFFF).astype("uint16").tolist()


@pytest.mark.parametrize("body", [
    "خبر عاجل عن السيول في الوادي",
    "الخبر_العاجل عن السيول",  # "_" splits words as punctuation does
    "خبرٌ، عاجلٌ! عن 2015 السيول",
    "_",
    "",
])
def test_body_words_are_the_normalized_texts_words_split_on_anything_else(body):
    """With or without "_" in the text (two expressions), the same split."""
    expected = [word for word in re.split(r"[\W_]+", normalize_text(body)) if word]
    assert body_words(body) == expected
