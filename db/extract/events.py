"""Event type and sub-event type from Arabic cue words, and ACLED's derived columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.extract.textview import fold_phrase


def _f(pattern: str) -> str:
    return "".join(fold_phrase(c) if "\u0600" <= c <= "\u06ff" else c for c in pattern)


_P = r"(?<!\w)(?:و|ف|ب|ل|ك)?(?:ال)?"

# Ordered: the first rule whose cue appears decides (more specific before more general).
_RULES: tuple[tuple[str, str, str], ...] = (
    ("abduction", "Violence against civilians", "Abduction/forced disappearance"),
    ("suicide", "Explosions/Remote violence", "Suicide bomb"),
    ("ied", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("air", "Explosions/Remote violence", "Air/drone strike"),
    ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("overtake", "Battles", "Non-state actor overtakes territory"),
    ("execution", "Violence against civilians", "Attack"),
    ("armed", "Battles", "Armed clash"),
    ("kill", "Violence against civilians", "Attack"),
    ("riot", "Riots", "Violent demonstration"),
    ("protest", "Protests", "Peaceful protest"),
    ("looting", "Strategic developments", "Looting/property destruction"),
    ("propaganda", "Strategic developments", "Other"),
)

CUES: dict[str, re.Pattern[str]] = {
    "abduction": re.compile(
        _f(
            _P + r"(?:اختطاف|خطف|اختطفت|اختطف|اختطفوا|يختطف|توقيفهم|توقيف|أسر|أسرت|احتجاز|اقتياد|"
            r"اقتادت|اقتادوا|رهائن|رهينة|مختطفين|المختطفين|اعتقال|اعتقلت|اعتقل|اعتقلوا|أوقفت|"
            r"أوقف|إيقاف|حملة\s+اعتقالات|يختطفون|تختطف|يعتقل|يعتقلون|تعتقل)(?!\w)"
        )
    ),
    "suicide": re.compile(_f(_P + r"(?:انتحاري|انتحارية|سيارة\s+مفخخة|عربة\s+مفخخة|مفخخة)(?!\w)")),
    "ied": re.compile(
        _f(
            _P + r"(?:عبوة\s+ناسفة|عبوات\s+ناسفة|عبوة|لغم|ألغام|لغما|متفجرات\s+يدوية|"
            r"تفجير|انفجار)(?!\w)"
        )
    ),
    "air": re.compile(
        _f(
            _P + r"(?:غارة|غارات|ضربة\s+جوية|ضربات\s+جوية|قصف\s+جوي|طائرة\s+مسيرة|طائرات\s+مسيرة|"
            r"مسيرة\s+تركية|المسيرات|مسيرة\s+تابعة|الطيران\s+الحربي|طائرة\s+حربية|قصفته\s+مسيرة|درون)(?!\w)"
        )
    ),
    "shelling": re.compile(
        _f(_P + r"(?:قصف\s+مدفعي|قذائف|قذيفة|هاون|صواريخ|صاروخ|قصفت|قصف)(?!\w)")
    ),
    "overtake": re.compile(
        _f(
            _P
            + r"(?:سيطرة|سيطرتها|سيطرته|سيطرت|سيطر|يسيطر|استولت|استولى|الاستيلاء|دخول|دخلت|اقتحام|"
            r"اقتحمت|اقتحم|احتلال)(?:\s+\S+){0,3}?\s+(?:على\s+)?(?:ال)?(?:كامل\s+)?"
            r"(?:مدينة|بلدة|قرية|موقع|مواقع|قاعدة|ثكنة|معسكر|مركز|منطقة|مقر|نقطة)(?!\w)"
        )
    ),
    "execution": re.compile(
        _f(_P + r"(?:إعدام|أعدمت|أعدم|أعدموا|ذبح|ذبحت|مجزرة|مذبحة|تصفية)(?!\w)")
    ),
    "armed": re.compile(
        _f(
            _P + r"(?:كمين|كمينا|كمينًا|هجوم|هجوما|هجومًا|اشتباك|اشتباكات|معارك|معركة|مواجهات|مواجهة|"
            r"هاجمت|هاجم|هاجموا|يهاجم|يهاجمون|تهاجم|اشتبكت|اشتبك|اشتبكوا|يشتبك|تشتبك|تستهدف|يستهدف|"
            r"يستهدفون|استهدفت|استهدف|استهداف|تصدت|صد|غزوة|إغارة|أغار|أغارت|"
            r"انغماسية|انغماسي|عملية\s+(?:\S+\s+)?ضد|عملية\s+(?:\S+\s+)?على)(?!\w)"
        )
    ),
    "kill": re.compile(
        _f(_P + r"(?:قتل|قتلت|قتلوا|مقتل|قُتل|يقتل|يقتلون|تقتل|اغتيال|اغتالت|اغتال)(?!\w)")
    ),
    "riot": re.compile(_f(_P + r"(?:أعمال\s+شغب|شغب)(?!\w)")),
    "protest": re.compile(
        _f(_P + r"(?:مظاهرة|مظاهرات|احتجاج|احتجاجات|وقفة\s+احتجاجية|تظاهر|مسيرة\s+احتجاجية)(?!\w)")
    ),
    "looting": re.compile(
        _f(
            _P + r"(?:نهب|نهبت|نهبوا|سلب|سرقة|مصادرة\s+مواشي|سرقوا|حرق|أحرقت|أحرقوا|أحرق|إحراق|"
            r"أضرموا\s+النار|أضرمت\s+النار|تدمير|دمرت|دمروا|تخريب)(?!\w)"
        )
    ),
    "propaganda": re.compile(
        _f(
            _P + r"(?:حفل\s+تخرج|تخريج|دفعة\s+من\s+المقاتلين|إصدار\s+مرئي|إصدارا|معسكر\s+تدريب|"
            r"تدريب\s+عسكري|بيعة|تجنيد)(?!\w)"
        )
    ),
}
_INTERVENTION = re.compile(
    _f(_P + r"(?:فرقت|فرقتهم|تفرقهم|تفريق|فض|فضت|الغاز\s+المسيل|اعتقلت|قمع|قمعت)")
)
# Generic plurals summarise many events; alone they do not report one.
GENERIC = re.compile(
    _f(_P + r"(?:هجمات|عمليات|ضربات|انتهاكات|سلسلة|تصعيد|التطورات|المعارك\s+الدائرة)(?!\w)")
)


@dataclass(frozen=True)
class EventCue:
    rule: str
    event_type: str
    sub_event_type: str
    start: int
    end: int


def find_cues(folded: str, start: int = 0, end: int | None = None) -> list[EventCue]:
    """Every event cue in folded[start:end], in text order."""
    end = len(folded) if end is None else end
    types = {rule: (et, st) for rule, et, st in _RULES}
    out: list[EventCue] = []
    for rule, pattern in CUES.items():
        for m in pattern.finditer(folded, start, end):
            et, st = types[rule]
            out.append(EventCue(rule, et, st, m.start(), m.end()))
    out.sort(key=lambda c: c.start)
    return out


def choose(
    cues: list[EventCue], civilians_targeted: bool, agent_state: bool, folded_text: str = ""
) -> EventCue | None:
    """The cue that decides the type: the first rule in priority order that is present.

    `civilians_targeted`: civilians are the victims and no armed target is named, so an
    "attack" is violence against civilians, not a battle.
    """
    present = {c.rule: c for c in reversed(cues)}
    for rule, _et, _st in _RULES:
        if rule not in present:
            continue
        cue = present[rule]
        if rule == "protest" and _INTERVENTION.search(folded_text):
            return EventCue(rule, "Protests", "Protest with intervention", cue.start, cue.end)
        if rule == "armed" and civilians_targeted and "kill" in present:
            cue = present["kill"]
            return EventCue("kill", "Violence against civilians", "Attack", cue.start, cue.end)
        if rule == "armed" and civilians_targeted:
            return EventCue("armed", "Violence against civilians", "Attack", cue.start, cue.end)
        if rule == "overtake" and agent_state:
            return EventCue(rule, "Battles", "Government regains territory", cue.start, cue.end)
        if rule == "abduction" and agent_state:
            return EventCue(rule, "Strategic developments", "Arrests", cue.start, cue.end)
        return cue
    return None
