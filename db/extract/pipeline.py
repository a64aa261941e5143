"""From report text to proposals: sentences -> incidents -> fields with evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from db import vocabulary
from db.extract import Dateline, Evidence, Proposal, ProposedField, claims, events, numbers
from db.extract import actors as act
from db.extract.dates import DateMention, find_dates, resolve
from db.extract.gazetteer import Place, lookup
from db.extract.gazetteer import generation as gazetteer_generation
from db.extract.gazetteer import index as gazetteer_index
from db.extract.sentences import Sentence, split_sentences
from db.extract.textview import FoldedText, fold_phrase, fold_with_index


def _f(pattern: str) -> str:
    return "".join(fold_phrase(c) if "\u0600" <= c <= "\u06ff" else c for c in pattern)


_TOKEN = re.compile(r"[\w\u0621-\u064a]+")
_PREFIXES = ("و", "ب", "ل", "ف", "وب", "ول", "فب")
_PLACE_CUES = {
    fold_phrase(w)
    for w in (
        "في",
        "قرب",
        "بالقرب",
        "بين",
        "مدينة",
        "مدينتي",
        "قرية",
        "قرى",
        "قريتي",
        "بلدة",
        "بلدات",
        "بلدتي",
        "منطقة",
        "مناطق",
        "محيط",
        "إقليم",
        "اقليم",
        "ولاية",
        "دائرة",
        "بلدية",
        "ضواحي",
        "طريق",
        "محور",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "وسط",
        "العاصمة",
        "عاصمة",
        "مقاطعة",
        "حي",
        "محلية",
        "بلديات",
        "أطراف",
        "مشارف",
        "تخوم",
        "قريبة",
        "غابة",
        "سوق",
        "مخيم",
    )
}
_STRONG_CUES = {
    fold_phrase(w)
    for w in (
        "مدينة",
        "مدينتي",
        "قرية",
        "قرى",
        "قريتي",
        "بلدة",
        "بلدات",
        "بلدتي",
        "منطقة",
        "بلدية",
        "محيط",
        "قرب",
        "بالقرب",
        "ضواحي",
        "محور",
        "طريق",
        "بين",
        "حي",
        "مشارف",
        "أطراف",
    )
}
_DISTRICT_CUES = {fold_phrase(w) for w in ("دائرة", "بدائرة", "مقاطعة", "بمقاطعة", "محافظة")}
_REGION_CUES = {fold_phrase(w) for w in ("إقليم", "اقليم", "ولاية", "منطقة", "مقاطعة", "محافظة")}
_NEAR = {
    fold_phrase(w)
    for w in (
        "قرب",
        "بالقرب",
        "محيط",
        "ضواحي",
        "أطراف",
        "مشارف",
        "تخوم",
        "قريبة",
        "كلم",
        "كيلومترا",
        "كيلومترات",
        "نواحي",
        "محور",
        "طريق",
    )
}
_VILLAGES = {fold_phrase(w) for w in ("قرى", "بلدات", "قريتي", "بلدتي", "مدينتي")}
_EXCLUDE = {
    fold_phrase(w)
    for w in (
        "حدود",
        "الحدود",
        "الحدودية",
        "الحدودي",
        "نحو",
        "إلى",
        "الى",
        "باتجاه",
        "صوب",
        "سابقة",
        "سابقا",
        "سابق",
        "قادما",
        "قادمين",
        "قادمة",
        "فارين",
        "لاجئين",
        "مثل",
        "غرار",
    )
}
_COUNTRY_EXCLUDE = {fold_phrase(w) for w in ("مع", "من", "دولة", "دول", "جارة")}
_STOP_WORDS = {
    fold_phrase(w)
    for w in (
        "وقت",
        "تطور",
        "إطار",
        "ظل",
        "حين",
        "اليوم",
        "محاولة",
        "مؤشر",
        "الوقت",
        "حال",
        "عملية",
        "هجوم",
        "كمين",
        "صباح",
        "مساء",
        "ليلة",
        "يوم",
        "مقطع",
        "فيديو",
        "العمق",
        "المقابل",
        "ذلك",
        "هذا",
        "هذه",
        "سياق",
        "أعقاب",
        "عدة",
        "أحد",
        "إحدى",
        "الأسبوع",
        "الشهر",
    )
}
_STOP = _STOP_WORDS | _PLACE_CUES | {fold_phrase(w) for w in ("غابة", "سوق", "مخيم", "غابات")}
"""Words never taken for a place, place words included (a cue is never itself the place)."""
_BACKREF = re.compile(
    _f(
        r"^\W*(?:و|ف)?(?:يعد|تعد|يعكس|تعكس|يأتي|تأتي|ينظر|أسفر|أسفرت|أدى|أدت|خلف|خلفت|جاء|جاءت|"
        r"يشار|تشير|يذكر|كان|كانت|لم|قد|تزامن|يتزامن|وذكرت|ذكرت|أضاف|أضافت|أوضح|أوضحت|"
        r"هذا|هذه|ذلك|تلك|الهجوم|الحادث|الحادثة|الكمين|العملية)(?!\w)"
    )
)
_DEMONSTRATIVE = re.compile(
    _f(
        r"(?<!\w)(?:هذا|هذه|ذلك|تلك)\s+(?:ال)?(?:هجوم|حادث|حادثة|كمين|عملية|اعتداء|نشاط|فيديو|"
        r"حدث|مقطع|تسجيل|ضربة|غارة|اختطاف|مجزرة|هجمات)"
    )
)
_AGENT_BEFORE = re.compile(
    _f(
        r"(?:على\s+يد|من\s+قبل|بواسطة|شنته|شنتها|شنها|شنه|نفذته|نفذتها|نفذها|نفذه|نفذوه|تبنته|تبنتها)\s+(?:قوات\s+|"
        r"عناصر\s+(?:من\s+)?|"
        r"مسلحين\s+(?:من\s+)?|مقاتلين\s+(?:من\s+)?|مقاتلي\s+)?$"
        r"|(?:تابعة|التابعة|تابع|التابع|تابعين)\s+(?:لل|ل)?$"
        r"|(?:كمين|كمينا|هجوم|هجوما|غارة|عملية|اعتداء)\s+(?:\S+\s+)?"
        r"ل(?:مجاهدي|مقاتلي|عناصر|مسلحي)?\s*$"
    )
)
_OWNED_TARGET = re.compile(
    _f(
        r"(?:قافلة|قوافل|موقع|مواقع|مركبة|مركبات|آلية|آليات|ثكنة|معسكر|نقطة|مقر|مقرات|قاعدة)"
        r"\s+(?:\S+\s+){0,2}(?:تابعة|التابعة|تابع|التابع)\s+(?:لل|ل)?$"
    )
)
""""a convoy belonging to the army": the owner of a target is not the agent, as the owner of a
drone is (`_AGENT_BEFORE`)."""
_VICTIM_BEFORE = re.compile(
    _f(r"(?<!\w)(?:مقتل|قتل|مصرع|إصابة|أسر|اختطاف|استهداف|ضد)\s+(?:\S+\s+){0,3}$")
)
_VERB_AFTER = re.compile(
    _f(
        r"\s+(?:قد\s+)?(?:استعادت|استعاد|قصفت|قصف|هاجمت|هاجم|هاجموا|نفذت|نفذ|شنت|شن|قتلت|قتل|"
        r"قتلوا|اعتقلت|اعتقل|سيطرت|سيطر|دخلت|دخل|اقتحمت|اقتحم|تمكنت|تمكن|أطلقت|أعدمت|أعدموا|"
        r"اختطفت|اختطفوا|استهدفت|استهدف|نصبت|نصبوا|فجرت|أحرقت|أحرقوا)(?!\w)"
    )
)
_RESPONSIBILITY = re.compile(
    _f(
        r"مسؤولي(?:تها|ته|تهم)\s+عن\s+(?:ال)?(?:هجوم|عملية|كمين|تفجير|اعتداء|حادث|حادثة|"
        r"قصف|اختطاف)"
    )
)
_STATISTICS = re.compile(
    _f(
        r"(?<!\w)(?:منذ\s+(?:بداية|مطلع|أوائل|عام|سنة|سنوات|أشهر|\d)|خلال\s+(?:العام|السنة|"
        r"الأشهر|الشهر|السنوات|العامين|الأسابيع)|منذ\s+(?:اندلاع|بدء))"
    )
)
_AFFILIATION = re.compile(
    _f(
        r"(?:ينتمون|ينتمي|تنتمي|من\s+عناصر|عناصر\s+من|التابعين|التابع|المرتبطين|وهم\s+من|أعضاء\s+في)\s*$"
    )
)
_PAST_REFERENCE = re.compile(
    _f(
        r"(?<!\w)(?:مماثل|مماثلا|مماثلة|في\s+وقت\s+سابق|العام\s+الماضي|السنة\s+الماضية|"
        r"الأعوام\s+الماضية|السنوات\s+الماضية|منذ\s+سنوات|قبل\s+(?:عام|سنة|سنوات|أشهر))(?!\w)"
    )
)
_JOINED = re.compile(_f(r"^(?:و|بدعم\s+من|بمساندة|بمشاركة|برفقة|رفقة|مع|مدعوما\s+ب|مدعومة\s+ب)"))
_AGENT_VERB = re.compile(
    _f(
        r"(?<!\w)(?:و|ف)?(?:أعلنت|أعلن|تبنت|تبنى|أكدت|أكد|نشرت|نشر|بثت|بث|استهدفت|استهدف|"
        r"هاجمت|هاجم|نفذت|نفذ|شنت|شن|قتلت|قتل|اختطفت|اختطف|سيطرت|سيطر|قصفت|قصف|أعدمت|أعدم|"
        r"اقتحمت|اقتحم|نصبت|نصب|فجرت|فجر|زرعت|أحرقت|داهمت|داهم|اعتقلت|اعتقل|أطلقت|تبنت|"
        r"تمكنت|تمكن|تصدت|صدت|شنته|نفذته)\s+(?:\S+\s+){0,1}$"
    )
)
_PUBLISH = re.compile(_f(r"(?<!\w)(?:و|ف)?(?:نشرت|نشر|بثت|بث|أصدرت|أصدر|أعلنت|أعلن)(?!\w)"))


@dataclass
class _Token:
    text: str  # folded, prefix stripped
    raw: str
    start: int  # folded offsets of the whole token
    end: int
    stem_start: int
    prefix: str


@dataclass
class _PlaceMention:
    places: list[Place]
    start: int  # folded
    end: int
    surface: str
    near: bool = False
    between: bool = False
    villages: bool = False
    excluded: bool = False
    region_cue: bool = False
    district_cue: bool = False
    """Named as the district (cercle) around the place: context, not the place itself."""
    pair_id: int = -1


@dataclass
class _Incident:
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def anchor(self) -> Sentence:
        return self.sentences[0]


def _tokens(folded: str, start: int, end: int) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(folded, start, end):
        word = m.group()
        prefix = ""
        for p in _PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 3:
                prefix = p
                break
        out.append(
            _Token(word[len(prefix) :], word, m.start(), m.end(), m.start() + len(prefix), prefix)
        )
    return out


def find_places(folded: str, start: int, end: int) -> list[_PlaceMention]:
    """Place mentions in folded[start:end], with near / between / list / excluded flags."""
    return list(_find_places(folded, start, end, gazetteer_generation()))


@lru_cache(maxsize=1024)
def _find_places(folded: str, start: int, end: int, _gen: int) -> tuple[_PlaceMention, ...]:
    """Cached (per gazetteer): one report asks for a sentence's places several times."""
    return tuple(_scan_places(folded, start, end))


def _scan_places(folded: str, start: int, end: int) -> list[_PlaceMention]:
    toks = _tokens(folded, start, end)
    out: list[_PlaceMention] = []
    first_words = gazetteer_index().first_words
    i = 0
    last_end_tok = -10
    pair = 0
    while i < len(toks):
        found: _PlaceMention | None = None
        known_start = _may_start(toks[i], first_words)
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            window = toks[i : i + n]
            if any(
                folded[p.end : t.start].strip() for p, t in zip(window, window[1:], strict=False)
            ):
                continue  # a comma or other punctuation inside
            prev = toks[i - 1].text if i > 0 else ""
            prev_raw = toks[i - 1].raw if i > 0 else ""
            cue = prev in _PLACE_CUES or prev_raw in _PLACE_CUES
            conj = window[0].prefix.startswith("و")
            listed = conj and last_end_tok == i - 1
            # "between X and Y", X unknown
            cue2 = {toks[i - 2].text, toks[i - 2].raw} if conj and i >= 2 else set()
            listed = listed or bool(cue2 & _STRONG_CUES)
            strong = prev in _STRONG_CUES or prev_raw in _STRONG_CUES or listed
            if not (cue or listed) and not known_start:
                continue  # neither a place word before it nor a known name starting here
            variants = [(v, vs) for v, vs in _variants(window) if v not in _STOP and len(v) >= 2]
            for variant, v_start in variants:
                places = lookup(variant, arabic_only=True)
                if places:
                    found = _PlaceMention(places, v_start, window[-1].end, variant)
                    break
            if not found and (cue or listed) and n <= 2:
                for variant, v_start in variants:
                    places = lookup(variant, exact_only=not strong or n > 1, cued=strong)
                    if (
                        places
                        and not strong
                        and all(p.rank >= 4 for p in places)
                        and len(variant) < 4
                    ):
                        places = []
                    if places:
                        found = _PlaceMention(places, v_start, window[-1].end, variant)
                        break
            if found:
                n_used = n
                break
        if not found:
            i += 1
            continue
        before = [t.text for t in toks[max(0, i - 4) : i]] + [
            t.raw for t in toks[max(0, i - 4) : i]
        ]
        before_near = [t.text for t in toks[max(0, i - 2) : i]] + [
            t.raw for t in toks[max(0, i - 2) : i]
        ]
        is_country = all(p.rank == 0 for p in found.places)
        found.excluded = any(w in _EXCLUDE for w in before_near) or (
            is_country and any(w in _COUNTRY_EXCLUDE | _EXCLUDE for w in before)
        )
        if toks[i].prefix.startswith("و") and last_end_tok == i - 1 and out and out[-1].excluded:
            found.excluded = True  # "previous ones in Timbuktu and Sikasso": the whole list
        found.near = any(w in _NEAR for w in before_near)
        window_listed = toks[i].prefix.startswith("و") and last_end_tok == i - 1
        found.villages = any(w in _VILLAGES for w in before) or window_listed
        found.district_cue = i > 0 and (
            toks[i - 1].raw in _DISTRICT_CUES or toks[i - 1].text in _DISTRICT_CUES
        )
        found.region_cue = bool(before_near) and (
            before_near[-1] in _REGION_CUES or toks[i - 1].text in _REGION_CUES
        )
        if i >= 2 and toks[i].prefix.startswith("و") and toks[i - 2].raw == fold_phrase("بين"):
            found.between = True
            found.villages = False
        elif toks[i - 1].text == fold_phrase("بين") if i > 0 else False:
            pair += 1
            found.between = True
            found.pair_id = pair
        elif window_listed and out and out[-1].between and out[-1].pair_id == pair:
            found.between = True
            found.pair_id = pair
            found.villages = False
        out.append(found)
        last_end_tok = i + n_used - 1
        i += n_used
    return out


def _may_start(token: _Token, first_words: set[str]) -> bool:
    """Whether a known Arabic name can start at this token (with or without a clitic)."""
    raw = token.raw
    if raw in first_words:
        return True
    return any(
        raw.startswith(p) and len(raw) - len(p) >= 3 and raw[len(p) :] in first_words
        for p in _PREFIXES
    )


def _variants(window: list[_Token]) -> list[tuple[str, int]]:
    """The words as written, then without each possible clitic prefix (و، ب، ل، ف ...)."""
    rest = [t.raw for t in window[1:]]
    first = window[0].raw
    out = [(" ".join([first, *rest]), window[0].start)]
    for p in _PREFIXES:
        if first.startswith(p) and len(first) - len(p) >= 3:
            out.append((" ".join([first[len(p) :], *rest]), window[0].start + len(p)))
    return out


_DATELINE_SEP = re.compile(r"[–—\-:،,(|/)]+")


def dateline(text: str) -> Dateline:
    head_end = text.find("\n")
    head_end = len(text) if head_end < 0 else head_end
    head = text[: min(head_end, 200)]
    ft = fold_with_index(head)
    published = None
    date_span = None
    short = len(head.split()) <= 12
    for m in find_dates(ft.folded):
        if m.kind in ("abs", "numeric", "hijri"):
            res = resolve(m, None)
            a, b = ft.orig_span(m.start, m.end)
            # a long first line is the story itself: its date is an event's, unless the
            # date stands apart ("باماكو – 24 يناير 2026 – قالت ...")
            apart = _DATELINE_SEP.search(head[max(0, a - 4) : a]) or _DATELINE_SEP.match(
                head[b : b + 3].lstrip()
            )
            if res and (short or apart):
                published = res[0]
                date_span = Evidence(a, b)
            break
    place = None
    place_span = None
    # the place is a short segment of the first line, before or after the date, that the
    # gazetteer knows ("باماكو – 24 يناير 2026", "الخميس 2 أبريل 2026 - باماكو", "نيامي/باماكو")
    cut = [date_span.start, date_span.end] if date_span else []
    bounds = sorted(
        {
            0,
            len(head),
            *cut,
            *(m.start() for m in _DATELINE_SEP.finditer(head)),
            *(m.end() for m in _DATELINE_SEP.finditer(head)),
        }
    )
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        seg = head[lo:hi]
        cand = _DATELINE_SEP.sub("", seg).strip()
        if (
            not cand
            or len(cand.split()) > 3
            or (date_span and lo >= date_span.start and hi <= date_span.end)
        ):
            continue
        hits = [p for p in lookup(fold_phrase(cand), exact_only=True) if p.rank <= 3]
        if hits:
            place = hits[0].name
            a = lo + seg.index(cand)
            place_span = Evidence(a, a + len(cand))
            break
    return Dateline(place, place_span, published, date_span)


def _sentence_facts(ft: FoldedText, s: Sentence) -> tuple[int, int]:
    a = ft.folded_pos(s.start)
    b = ft.folded_pos(s.end)
    return a, b


_CLAUSE_BREAK = re.compile(_f(r"[،,؛;]\s*(?=(?:و|ف)|كما(?!\w)|فيما(?!\w)|بينما(?!\w))"))
_EVENT_DATES = ("abs", "hijri", "numeric", "weekday", "rel_pub", "rel_prev", "week", "month_day")


def _clauses(ft: FoldedText, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that report two dated events ("..., and the next day ...") become two."""
    out: list[Sentence] = []
    for s in sentences:
        if s.heading:
            out.append(s)
            continue
        a, b = ft.folded_pos(s.start), ft.folded_pos(s.end)
        start, first = a, True
        for brk in _CLAUSE_BREAK.finditer(ft.folded, a, b):
            right = brk.end()
            if not events.find_cues(ft.folded, start, brk.start()):
                continue
            if not any(d.kind in _EVENT_DATES for d in find_dates(ft.folded[right:b])):
                continue
            nxt = _CLAUSE_BREAK.search(ft.folded, right, b)
            stop = nxt.start() if nxt else b
            if not any(d.kind in _EVENT_DATES for d in find_dates(ft.folded[right:stop])):
                continue  # the date belongs to a later clause
            if not events.find_cues(ft.folded, right, b):
                continue
            o_start = ft.index[start]
            o_end = ft.index[brk.start() - 1] + 1
            out.append(Sentence(o_start, o_end, False, s.paragraph_start if first else False))
            start, first = right, False
        o_start = ft.index[start] if start < len(ft.folded) else s.end
        out.append(Sentence(o_start, s.end, False, s.paragraph_start if first else False))
    return out


def _split_incidents(
    ft: FoldedText, sentences: list[Sentence], published: dt.date | None = None
) -> list[_Incident]:
    incidents: list[_Incident] = []
    current: _Incident | None = None
    current_date: dt.date | None = None
    for s in sentences:
        if s.heading:
            current = None
            continue
        a, b = _sentence_facts(ft, s)
        cues = events.find_cues(ft.folded, a, b)
        dates = [d for d in find_dates(ft.folded[a:b]) if d.kind in _EVENT_DATES]
        backref = (
            bool(_BACKREF.match(ft.folded[a:b]))
            or bool(_DEMONSTRATIVE.search(ft.folded, a, min(b, a + 60)))
            or bool(_RESPONSIBILITY.search(ft.folded, a, b))
        )
        has_date = bool(dates)
        if has_date and backref and current is not None:
            # "the group claimed the attack on Thursday": the same day is the same incident
            first = resolve(dates[0], published, current_date)
            if first is not None and first[0] == current_date:
                has_date = False
        anchor = bool(cues) and (has_date or _names_a_place(ft.folded, a, b))
        if (
            anchor
            and not has_date
            and (_STATISTICS.search(ft.folded, a, b) or _PAST_REFERENCE.search(ft.folded, a, b))
        ):
            # "more than 3,000 killed since January", "a similar attack last year": background
            anchor = False
        if anchor and backref and current is not None and not has_date:
            anchor = False
        if anchor:
            current = _Incident([s])
            incidents.append(current)
            res = resolve(dates[0], published, current_date) if dates else None
            current_date = res[0] if res else None
        elif current is not None and (backref or not s.paragraph_start) and not has_date:
            # same paragraph, no new date: more about the same incident (its toll, a denial)
            current.sentences.append(s)
        else:
            current = None
    return incidents


def _names_a_place(folded: str, a: int, b: int) -> bool:
    """A usable place more specific than a country."""
    return any(
        not p.excluded and any(pl.rank > 0 for pl in p.places) for p in find_places(folded, a, b)
    )


def propose_incidents(text: str, published: dt.date) -> list[Proposal]:
    ft = fold_with_index(text)
    sentences = _clauses(ft, split_sentences(text))
    incidents = _split_incidents(ft, sentences, published)
    line = dateline(text)
    all_actors = act.find_actors(ft.folded)
    proposals: list[Proposal] = []
    previous_date: dt.date | None = None
    taken = frozenset(s.start for inc in incidents for s in inc.sentences)
    for inc in incidents:
        prop = _fields(ft, sentences, inc, published, previous_date, line, all_actors, taken)
        if prop is None:
            continue
        date_field = prop.fields.get("event_date")
        if date_field is not None and isinstance(date_field.value, dt.date):
            previous_date = date_field.value
        proposals.append(prop)
    return proposals


def _ev(ft: FoldedText, a: int, b: int) -> Evidence:
    s, e = ft.orig_span(a, b)
    return Evidence(s, e)


def _fields(
    ft: FoldedText,
    sentences: list[Sentence],
    inc: _Incident,
    published: dt.date,
    previous_date: dt.date | None,
    line: Dateline,
    all_actors: list[act.ActorMention],
    taken: frozenset[int],
) -> Proposal | None:
    text = ft.original
    span_start, span_end = inc.sentences[0].start, inc.sentences[-1].end
    a, b = ft.folded_pos(inc.anchor.start), ft.folded_pos(inc.anchor.end)
    fa, fb = a, ft.folded_pos(span_end)
    folded = ft.folded
    fields: dict[str, ProposedField] = {}

    def put(name: str, value: object, conf: float, *spans: Evidence) -> None:
        if value is None:
            return
        ev = tuple(spans) or (Evidence(span_start, span_end),)
        fields[name] = ProposedField(value, round(min(max(conf, 0.0), 1.0), 2), ev)

    # --- date
    mentions = [
        DateMention(
            m.start + a,
            m.end + a,
            m.kind,
            m.year,
            m.month,
            m.day,
            m.weekday,
            m.offset,
            m.alternatives,
            m.past,
        )
        for m in find_dates(folded[a:b])
    ]
    if any(m.kind in ("abs", "numeric") for m in mentions):
        mentions = [m for m in mentions if m.kind != "hijri"]  # a stated Gregorian date wins
    event_date: tuple[dt.date, int] | None = None
    event_ev: Evidence | None = None
    reported: tuple[dt.date, Evidence] | None = None
    publication_dates = []
    for m in mentions:
        res = resolve(m, published, previous_date)
        if res is None:
            continue
        if _is_publication(folded, m, a):
            publication_dates.append((m, res))
            continue
        if event_date is None:
            event_date, event_ev = res, _ev(ft, m.start, m.end)
    if publication_dates:
        m, res = publication_dates[0]
        reported = (res[0], _ev(ft, m.start, m.end))
        if event_date is None:
            event_date, event_ev = (res[0], 2), reported[1]
    date_conf = 0.9
    if event_date is None:
        event_date = (published, 3)
        event_ev = line.date_span or Evidence(span_start, span_end)
        date_conf = 0.2
    assert event_ev is not None
    put("event_date", event_date[0], date_conf, event_ev)
    put("time_precision", event_date[1], date_conf, event_ev)
    if reported:
        put("reported_date", reported[0], 0.8, reported[1])
    elif line.date_span is not None:
        put("reported_date", published, 0.6, line.date_span)

    date_for_names = event_date[0]
    # --- place (first: actor names depend on the country)
    _place_fields(ft, sentences, inc, taken, a, b, fa, fb, put)
    country_field = fields.get("country")
    country = str(country_field.value) if country_field is not None else "Mali"

    # --- actors
    mentions_a = [m for m in all_actors if fa <= m.start < fb]
    resolved = [(_resolve_group(m, all_actors), m) for m in mentions_a]
    agent = _agent(ft, resolved, a, b, fb)

    def name(kind: act.ActorKind, m: act.ActorMention) -> str:
        explicit_mali = fold_phrase("مالي") in folded[m.start : m.end]
        return act.acled_name(kind, date_for_names, "Mali" if explicit_mali else country)

    civilians = [(k, m) for k, m in resolved if k.civilian]
    military = [(k, m) for k, m in resolved if k.state]
    cues = events.find_cues(folded, a, b)
    killed_civilians = bool(civilians) and bool(
        re.search(_f(r"(?:قتل|مقتل|قُتل|إعدام|أعدم|ذبح|استهدف|هاجم|اختطاف|اختطف|خطف)"), folded[a:b])
    )
    agent_state = agent is not None and agent[0].state
    armed_target = any(
        k.state or k.inter in ("Rebel group", "External/Other forces", "Identity militia")
        for k, m in resolved
        if a <= m.start < b
        and (agent is None or m is not agent[1])
        and not k.group_word
        and k.key != act.UNIDENTIFIED
    )
    cue = events.choose(
        cues,
        killed_civilians and not (agent and agent[0].civilian) and not armed_target,
        agent_state,
        folded[a:fb],
    )
    if cue is None:
        return None
    put("event_type", cue.event_type, 0.75, _ev(ft, cue.start, cue.end))
    put("sub_event_type", cue.sub_event_type, 0.6, _ev(ft, cue.start, cue.end))
    put(
        "disorder_type",
        vocabulary.disorder_type(cue.event_type, cue.sub_event_type),
        0.75,
        _ev(ft, cue.start, cue.end),
    )
    actor1 = actor2 = assoc1 = assoc2 = None
    inter1 = inter2 = None
    ev1: Evidence | None = None
    ev2: Evidence | None = None
    if agent is not None:
        actor1 = name(agent[0], agent[1])
        inter1 = agent[0].inter
        ev1 = _ev(ft, agent[1].start, agent[1].end)
        # a second actor of the same side joined by "and" (army and Africa Corps)
        for k, am in resolved:
            if (
                am.start > agent[1].end
                and am.start - agent[1].end < 40
                and not k.civilian
                and not k.target_only
                and name(k, am) != actor1
                and (k.state or k.inter == "External/Other forces")
                == (agent[0].state or agent[0].inter == "External/Other forces")
                and _JOINED.match(folded[agent[1].end : am.start].strip())
            ):
                assoc1 = (name(k, am), _ev(ft, am.start, am.end))
                break
    target: tuple[act.ActorKind, act.ActorMention] | None = None
    if cue.event_type != "Strategic developments" or cue.sub_event_type == "Arrests":
        if civilians and (
            cue.event_type == "Violence against civilians"
            or (killed_civilians and cue.event_type != "Battles")
        ):
            target = next(((k, m) for k, m in civilians if k.key == act.CIVILIANS), civilians[0])
        elif agent is None or not agent_state:
            target = next(((k, m) for k, m in military if agent is None or m is not agent[1]), None)
            if target is None and agent is not None:  # two armed groups fighting each other
                target = next(
                    (
                        (k, m)
                        for k, m in resolved
                        if not k.civilian
                        and not k.group_word
                        and k.key != act.UNIDENTIFIED
                        and name(k, m) != name(agent[0], agent[1])
                    ),
                    None,
                )
        else:
            target = next(
                (
                    (k, m)
                    for k, m in resolved
                    if not k.state
                    and not k.civilian
                    and m is not agent[1]
                    and k.inter != "External/Other forces"  # the state's allies
                ),
                None,
            )
    if target is not None:
        if target[0].civilian:
            actor2 = act.CIVILIANS.replace("(Mali)", f"({country})")
            inter2 = "Civilians"
            group = next((k for k, _m in civilians if k.key != act.CIVILIANS), None)
            if group is not None:
                gm = next(m for k, m in civilians if k is group)
                assoc2 = (group.key, _ev(ft, gm.start, gm.end))
        else:
            actor2 = name(target[0], target[1])
            inter2 = target[0].inter
            if target[0].key == "mali_army":
                gend = next(((k, m) for k, m in resolved if k.key == "mali_gendarmerie"), None)
                if gend:
                    assoc2 = (
                        name(gend[0], gend[1]),
                        _ev(ft, gend[1].start, gend[1].end),
                    )
        ev2 = _ev(ft, target[1].start, target[1].end)
    if cue.event_type in ("Protests", "Riots"):
        # the crowd is the actor; the security forces that dispersed it, if named, the other
        actor1 = f"{'Protesters' if cue.event_type == 'Protests' else 'Rioters'} ({country})"
        inter1 = "Protesters" if cue.event_type == "Protests" else "Rioters"
        ev1 = _ev(ft, cue.start, cue.end)
        agent = None
    elif actor1 is None and actor2 is not None and cue.event_type != "Strategic developments":
        actor1 = act.UNIDENTIFIED.replace("(Mali)", f"({country})")
        inter1 = "Political militia"
        ev1 = _ev(ft, cue.start, cue.end)
    put("actor1", actor1, 0.6 if agent else 0.4, *(e for e in (ev1,) if e))
    put("inter1", inter1, 0.6, *(e for e in (ev1,) if e))
    put("actor2", actor2, 0.55, *(e for e in (ev2,) if e))
    put("inter2", inter2, 0.55, *(e for e in (ev2,) if e))
    if assoc1:
        put("assoc_actor_1", assoc1[0], 0.5, assoc1[1])
    if assoc2:
        put("assoc_actor_2", assoc2[0], 0.5, assoc2[1])
    inter = vocabulary.interaction(inter1, inter2)
    put("interaction", inter, 0.55, *(e for e in (ev1, ev2) if e))
    if inter2 == "Civilians" and cue.event_type in (
        "Violence against civilians",
        "Explosions/Remote violence",
    ):
        put("civilian_targeting", "Civilian targeting", 0.6, *(e for e in (ev2,) if e))

    # --- claim
    same_side = [m for k, m in resolved if agent is not None and not k.civilian and k == agent[0]]
    claim = _claim(folded, a, fb, agent, same_side)
    if claim is not None and actor1 is not None and agent is not None:
        put("claimed_by", actor1, 0.7, _ev(ft, claim[0], claim[1]))
    elif actor1 is not None:
        # quoted from the group's own outlet (al-Zallaqa for JNIM, Amaq for the Islamic State)
        for outlet in claims.OUTLETS.finditer(folded, fa, fb):
            outlet_name = outlet.group().split()[-1]
            if claims.OUTLET_GROUP.get(outlet_name) == actor1:
                put("claimed_by", actor1, 0.6, _ev(ft, outlet.start(), outlet.end()))
                break

    # --- fatalities
    date_spans = [(fa + d.start, fa + d.end) for d in find_dates(folded[fa:fb])]
    phrases = numbers.find_fatalities(folded, fa, fb, date_spans)
    total = numbers.fatality_total(folded, phrases)
    if total is not None:
        put("fatalities", total[0], 0.7, *(_ev(ft, c.start, c.end) for c in total[1]))

    conf = (
        0.5
        + 0.1 * sum(k in fields for k in ("actor1", "location", "fatalities"))
        + (0.1 if date_conf > 0.5 else 0)
    )
    # notes: the incident's own words, for the analyst to rewrite
    put("notes", text[span_start:span_end], 0.3, Evidence(span_start, span_end))
    return Proposal(span_start, span_end, round(min(conf, 0.95), 2), fields)


def _is_publication(folded: str, m: DateMention, a: int) -> bool:
    """A date that says when a video or statement came out, not when the event happened."""
    before = folded[max(a, m.start - 70) : m.start]
    after = folded[m.end : m.end + 30]
    verbs = list(_PUBLISH.finditer(before))
    return bool(verbs) and bool(claims.MEDIA.search(after))


def _resolve_group(m: act.ActorMention, all_actors: list[act.ActorMention]) -> act.ActorKind:
    """ "The group" means the last armed group named before it."""
    if not m.kind.group_word:
        return m.kind
    for prior in reversed(all_actors):
        if prior.start >= m.start:
            continue
        k = prior.kind
        if not k.group_word and not k.state and not k.civilian and k.inter == "Rebel group":
            return k
    return act.ActorKind(act.UNIDENTIFIED, "Political militia")


def _agent(
    ft: FoldedText,
    resolved: list[tuple[act.ActorKind, act.ActorMention]],
    a: int,
    b: int,
    span_end: int,
) -> tuple[act.ActorKind, act.ActorMention] | None:
    """Who acted: after "at the hands of", after an active verb, else the first armed group."""
    folded = ft.folded
    cands = [
        (k, m) for k, m in resolved if a <= m.start < b and not k.target_only and not k.civilian
    ]
    found = None
    for k, m in cands:
        before = folded[max(a, m.start - 40) : m.start]
        if _AGENT_BEFORE.search(before) and not _OWNED_TARGET.search(before):
            found = (k, m)
            break
    if found is None:
        for k, m in cands:
            lo = max(a, m.start - 40)
            verb = _AGENT_VERB.search(folded[lo : m.start])
            if verb and not _passive(ft, lo + verb.start()):
                found = (k, m)
                break
    if found is None:  # subject first: "its forces regained", "the army shelled"
        found = next(
            (
                (k, m)
                for k, m in cands
                if _VERB_AFTER.match(folded, m.end, b)
                and not _VICTIM_BEFORE.search(folded[max(a, m.start - 40) : m.start])
            ),
            None,
        )
    if found is None:
        found = next(
            (
                (k, m)
                for k, m in cands
                if not k.state and not _VICTIM_BEFORE.search(folded[max(a, m.start - 40) : m.start])
            ),
            None,
        )
    if found is None or found[0].key == act.UNIDENTIFIED:
        # "... The group claimed the attack": a claimant in a later sentence of the incident
        for k, m in resolved:
            if b <= m.start < span_end and k.inter == "Rebel group" and not k.civilian:
                lo = max(b, m.start - 14)
                verb = claims.CLAIM_VERB.search(folded[lo : m.start])
                if verb and not claims.NEGATION.search(
                    folded[max(b, lo + verb.start() - 8) : lo + verb.start()]
                ):
                    return k, m
    if found is not None and found[0].key == act.UNIDENTIFIED:
        # "gunmen believed to belong to X": the group named later in the sentence
        start = found[1].start
        named = next(
            (
                (k, m)
                for k, m in resolved
                if start < m.start < span_end
                and k.inter == "Rebel group"
                and not k.group_word
                # in the same sentence, or tied to the gunmen ("they are members of X")
                and (m.start < b or _AFFILIATION.search(folded[max(b, m.start - 25) : m.start]))
            ),
            None,
        )
        if named is not None:
            return named
    return found


def _passive(ft: FoldedText, folded_pos: int) -> bool:
    """A verb vocalised as passive (قُتل، استُهدفت): a damma on its first letters."""
    start = ft.index[min(folded_pos, len(ft.folded) - 1)]
    while start < len(ft.original) and ft.original[start] in "وف":
        start += 1
    return "\u064f" in ft.original[start : start + 5]


def _claim(
    folded: str,
    a: int,
    b: int,
    agent: tuple[act.ActorKind, act.ActorMention] | None,
    same_side: list[act.ActorMention] | None = None,
) -> tuple[int, int] | None:
    """Where the agent itself claims the event: its claim verb, "as it announced", or the
    agent named as the source ("according to the army"); None when others attribute it."""
    if agent is None:
        return None
    if claims.ATTRIBUTION.search(folded, a, b):
        return None
    for m in claims.CLAIM_VERB.finditer(folded, a, b):
        if claims.NEGATION.search(folded[max(a, m.start() - 8) : m.start()]):
            continue  # "no group has claimed it"
        if agent[0].state and claims.STATE_SPEAKER.match(folded, m.end(), b):
            return m.start(), m.end()
        for mention in [agent[1], *(same_side or [])]:
            gap = mention.start - m.end()
            back = m.start() - mention.end  # "the group has claimed" (subject first)
            if 0 <= gap <= 12 or 0 <= back <= 8:
                return m.start(), m.end()
    ref = claims.CLAIM_REFERENCE.search(folded, a, b)
    if ref:
        return ref.start(), ref.end()
    for mention in same_side or []:
        if claims.ACCORDING_TO.search(folded[max(a, mention.start - 12) : mention.start]):
            return mention.start, mention.end
    return None


def _place_fields(ft, sentences, inc, taken, a, b, fa, fb, put) -> None:  # type: ignore[no-untyped-def]
    """Location fields: the most specific usable place named in the incident's first sentence.

    A region named in a heading or lead sentence just before (not in another incident) says
    which of several same-named villages is meant.
    """
    folded = ft.folded
    mentions = find_places(folded, a, b)
    usable = [m for m in mentions if not m.excluded]
    # regions named in the incident, else just before it (a heading, a lead sentence)
    context_regions = [m for m in usable if m.places[0].region_only]
    if not context_regions:
        idx = sentences.index(inc.anchor)
        for s in reversed(sentences[max(0, idx - 2) : idx]):
            if s.start in taken:
                break
            sa, sb = ft.folded_pos(s.start), ft.folded_pos(s.end)
            found = [
                m for m in find_places(folded, sa, sb) if not m.excluded and m.places[0].region_only
            ]
            if found:
                context_regions = found
                break
    region_names = {m.places[0].admin1 for m in context_regions}
    # weaker: the region the report talked about last (digests go region by region)
    recent: set[str | None] = set()
    if not region_names:
        idx = sentences.index(inc.anchor)
        for s in reversed(sentences[max(0, idx - 4) : idx]):
            sa, sb = ft.folded_pos(s.start), ft.folded_pos(s.end)
            found = [m for m in find_places(folded, sa, sb) if m.places[0].rank <= 1]
            if found:
                recent = {found[-1].places[0].admin1}
                break

    districts = {p.admin2 for m in usable if m.district_cue for p in m.places[:1] if p.admin2}

    def pick(m: _PlaceMention) -> Place:
        if m.region_cue and m.places[0].region_only:
            return m.places[0]
        towns = [p for p in m.places if not p.region_only] or m.places
        if districts and not m.district_cue:
            inside_district = [p for p in towns if p.admin2 in districts]
            if inside_district:
                return inside_district[0]
        if recent and len({p.rank for p in towns[:2]}) == 1:  # a tie between namesakes
            inside = [p for p in towns if p.admin1 in recent and p.rank == towns[0].rank]
            if inside:
                return inside[0]
        if region_names:
            inside = [p for p in towns if p.admin1 in region_names]
            if inside and (inside[0].rank <= 2 or towns[0].rank > 2):
                return inside[0]
            if all(p.rank >= 3 for p in towns):
                return (
                    m.places[0]
                    if m.places[0].region_only
                    else Place("", "", None, None, None, None, None, 9)
                )
        return towns[0]

    chosen: tuple[_PlaceMention, Place] | None = None
    best_rank: float = -1
    for m in usable:
        p = pick(m)
        if p.rank == 9:
            continue
        rank: float = 1 if p.region_only else p.rank
        if m.region_cue and p.region_only:
            rank = 0.5
        elif m.district_cue:
            rank = 1.5  # the district says where, a town in it says better
        if rank > best_rank or (rank == best_rank and m.between):
            chosen, best_rank = (m, p), rank
    if chosen is None:
        if context_regions:
            m = context_regions[0]
            chosen = (m, m.places[0])
        else:
            return
    m, p = chosen
    ev = _ev(ft, m.start, m.end)
    region_only = p.region_only or p.rank == 0
    precision = 3 if region_only else (2 if (m.near or m.between or m.villages) else 1)
    conf = 0.8 if m.surface in ("",) else (0.75 if p.rank <= 2 else 0.6)
    put("country", p.country, conf, ev)
    if p.iso is not None:
        put("iso", p.iso, conf, ev)
    if p.admin1:
        put("admin1", p.admin1, conf, ev)
    elif region_names and p.rank != 0:
        r = context_regions[0]
        put("admin1", r.places[0].admin1, 0.5, _ev(ft, r.start, r.end))
    if not region_only:
        put("admin2", p.admin2, conf * 0.7, ev)
        put("location", p.name, conf, ev)
        put("latitude", p.latitude, conf, ev)
        put("longitude", p.longitude, conf, ev)
    elif p.rank == 1 and p.latitude is not None:
        put("location", p.name, 0.4, ev)
        put("latitude", p.latitude, 0.4, ev)
        put("longitude", p.longitude, 0.4, ev)
    put("geo_precision", precision, 0.6, ev)
    s, e = ft.orig_span(m.start, m.end)
    put("location_ar", ft.original[s:e], conf, ev)
