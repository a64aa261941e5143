"""Property tests: the extractor's text functions never fail and their spans tell the truth."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.extract import find_dateline, propose
from db.extract.dates import find_dates, resolve
from db.extract.numbers import fatality_total, find_fatalities, number_value
from db.extract.sentences import split_sentences
from db.extract.textview import fold_with_index

# Words from the reports' register, so that generated text reaches the interesting paths.
_WORDS = (
    "قُتل خمسة جنود ومدنيان في هجوم على بلدة بين سيكاسو ولولوني كمينا عبوة ناسفة "
    "أعلنت جماعة نصرة الإسلام والمسلمين سيطرتها موقع عسكري يوم الخميس 22 يناير 2026 "
    "أمس اليوم التالي نفسه الماضي 3 رمضان 1447هـ ١٢/٠٣/٢٠٢٦ إقليم كاي نيورو الساحل قرب "
    "مقتل عدد من عشرات ثلاثة جنديين الفيلق الإفريقي مدنيين الفلان تبنت نسب إلى . ، \n"
)
VOCAB = _WORDS.split(" ")
texts = st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=6)), max_size=60).map(" ".join)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_folded_text_maps_back_inside_the_original(text: str) -> None:
    ft = fold_with_index(text)
    assert len(ft.index) == len(ft.folded) + 1
    for i in range(len(ft.folded)):
        assert 0 <= ft.index[i] < len(text)
    for a in range(0, len(ft.folded), 7):
        s, e = ft.orig_span(a, min(a + 5, len(ft.folded)))
        assert 0 <= s <= e <= len(text)


@SETTINGS
@given(texts)
def test_sentences_are_ordered_non_empty_spans(text: str) -> None:
    last = 0
    for s in split_sentences(text):
        assert last <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]
        last = s.end


@SETTINGS
@given(texts, dates)
def test_dates_resolve_or_say_none(text: str, published: dt.date) -> None:
    folded = fold_with_index(text).folded
    for m in find_dates(folded):
        assert 0 <= m.start < m.end <= len(folded)
        res = resolve(m, published, published)
        if res is not None:
            assert res[1] in (1, 2, 3)
        # without a publication date, nothing is placed in a year the text does not state
        bare = resolve(m, None, None)
        if bare is not None and m.kind == "abs":
            assert m.year is not None and bare[0].year == m.year


@SETTINGS
@given(texts)
def test_fatalities_are_positive_counts_or_nothing(text: str) -> None:
    folded = fold_with_index(text).folded
    phrases = find_fatalities(folded)
    total = fatality_total(folded, phrases)
    if total is not None:
        assert total[0] > 0
        for c in total[1]:
            assert 0 <= c.start < c.end <= len(folded)


@SETTINGS
@given(texts, dates)
def test_every_proposal_has_true_evidence(text: str, published: dt.date) -> None:
    for p in propose(text, published):
        assert 0 <= p.span_start < p.span_end <= len(text)
        assert 0.0 < p.confidence <= 1.0
        assert "event_date" in p.fields and "event_type" in p.fields
        for name, f in p.fields.items():
            assert f.value is not None, name
            assert f.value != 0 or name not in ("fatalities",), name
            assert 0.0 <= f.confidence <= 1.0
            assert f.evidence, name
            for e in f.evidence:
                assert 0 <= e.start < e.end <= len(text), name
        loc = p.fields.get("location_ar")
        if loc is not None:
            e = loc.evidence[0]
            assert text[e.start : e.end] == loc.value
        date = p.fields["event_date"]
        if date.confidence > 0.5:  # read from the text, not the publication-date fallback
            e = date.evidence[0]
            assert find_dates(fold_with_index(text[e.start : e.end]).folded), "no date in evidence"
        toll = p.fields.get("fatalities")
        if toll is not None:
            quoted = fold_with_index(" ".join(text[e.start : e.end] for e in toll.evidence)).folded
            assert isinstance(toll.value, int) and toll.value > 0
            # each piece of evidence is a figure: digits, a number word, or a dual noun
            assert (
                any(ch.isdigit() for ch in quoted)
                or any(number_value(w) for w in quoted.split())
                or any(
                    number_value(" ".join(p))
                    for p in zip(quoted.split(), quoted.split()[1:], strict=False)
                )
                or find_fatalities("مقتل " + quoted)
            ), quoted


@SETTINGS
@given(texts)
def test_dateline_spans_say_what_they_claim(text: str) -> None:
    line = find_dateline(text)
    if line.date_span is not None:
        assert line.published is not None
        quoted = text[line.date_span.start : line.date_span.end]
        folded = fold_with_index(quoted).folded
        found = [resolve(m, None) for m in find_dates(folded)]
        assert (line.published, 1) in found
    if line.place_span is not None:
        assert 0 <= line.place_span.start < line.place_span.end <= len(text)
