"""Claims of responsibility (a party's own word) told apart from attribution by others."""

from __future__ import annotations

import re

from db.extract.textview import fold_phrase


def _f(pattern: str) -> str:
    return "".join(fold_phrase(c) if "\u0600" <= c <= "\u06ff" else c for c in pattern)


# A claim verb as the main verb of its clause, followed closely by the claimant.
CLAIM_VERB = re.compile(
    _f(
        r"(?<!\w)(?:و|ف)?(?:أعلنت|أعلن|تبنت|تبنى|أكدت|أكد|نشرت|نشر|بثت|بث|تبنّت|زعمت|قالت|قال|"
        r"ادعت|ادعى|أصدرت|يتبنى|تتبنى|يعلن|تعلن|يؤكد|تؤكد|يقول|تقول)(?!\w)"
    )
)
# "as it announced", "according to what it published": the claimant is the clause's subject.
CLAIM_REFERENCE = re.compile(
    _f(
        r"(?<!\w)(?:وفق|حسب|بحسب|كما)\s+ما\s+(?:أعلنته|أعلنت|نشرته|نشرت|بثته|أكدته|ذكرته|قالته)(?!\w)"
    )
)
ATTRIBUTION = re.compile(
    _f(
        r"(?<!\w)(?:نسب|نسبت|ينسب|تنسب|نُسب|اتهم|اتهمت|يتهم|تتهم|اتهام|حمل|حملت|تحميل|"
        r"يشتبه|يُشتبه|المشتبه|يعتقد|يرجح)(?!\w)"
    )
)
MEDIA = re.compile(_f(r"(?<!\w)(?:مقطع|فيديو|صور|صورا|صورًا|بيان|بيانا|تسجيل|إصدار|منشور)"))
# "according to the army", "according to a statement of the group" (بيان للجماعة: the
# mention starts after its ل): the source named is the agent itself
ACCORDING_TO = re.compile(
    _f(
        r"(?<!\w)(?:بحسب|حسب|وفق|وفقا\s+ل|نقلا\s+عن|قال|قالت|أعلن|أعلنت|أكد|أكدت|بيان)"
        r"\s*(?:لل)?$"
    )
)
# "the government / the ministry announced that its forces ...": a state claim
STATE_SPEAKER = re.compile(
    _f(
        r"\s*(?:ال)?(?:حكومة|سلطات|وزارة|هيئة\s+(?:أركان|الأركان)|رئاسة|المجلس\s+العسكري|"
        r"متحدث|الناطق)"
    )
)
# "no group has claimed", "without claiming"
NEGATION = re.compile(_f(r"(?<!\w)(?:لم|ولم|لا|ولا|دون\s+أن|بدون\s+أن|لن)\s*$"))
# Media outlets of armed groups: a report quoting them quotes the group's own claim.
OUTLETS = re.compile(_f(r"(?<!\w)(?:مؤسسة\s+)?(?:الزلاقة|الزلاقه)|(?:وكالة\s+)?أعماق(?!\w)"))
OUTLET_GROUP = {
    fold_phrase("الزلاقة"): "JNIM: Group for Support of Islam and Muslims",
    fold_phrase("أعماق"): "Islamic State Sahel",
}
