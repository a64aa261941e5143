"""Dates, counts and claims read from Arabic text, one rule at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from db.extract import propose
from db.extract.actors import find_actors
from db.extract.dates import find_dates, resolve
from db.extract.numbers import fatality_total, find_fatalities
from db.extract.textview import fold_phrase, fold_with_index

SAT = dt.date(2026, 1, 24)  # the seed's publication date, a Saturday


def _date(text: str, published: dt.date | None = SAT, previous: dt.date | None = None):
    (m,) = find_dates(fold_with_index(text).folded)
    return resolve(m, published, previous)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("الخميس22 يناير", SAT, (dt.date(2026, 1, 22), 1)),  # weekday glued to the digits
        ("٢٢ يناير ٢٠٢٦", None, (dt.date(2026, 1, 22), 1)),  # Arabic-Indic digits
        ("28 ديسمبر", SAT, (dt.date(2025, 12, 28), 1)),  # no year: the last such day before
        ("3 رمضان 1446هـ", None, (dt.date(2025, 3, 3), 1)),  # Umm al-Qura
        ("أمس", SAT, (dt.date(2026, 1, 23), 1)),
        ("أول أمس", SAT, (dt.date(2026, 1, 22), 1)),
        ("السبت الماضي", SAT, (dt.date(2026, 1, 17), 1)),  # "last Saturday" on a Saturday
        ("الخميس", SAT, (dt.date(2026, 1, 22), 1)),
        ("مطلع هذا الأسبوع", SAT, (dt.date(2026, 1, 19), 2)),  # early this week: a week's precision
        ("05/03/2026", dt.date(2026, 3, 10), (dt.date(2026, 3, 5), 1)),  # day/month first
        ("03/25/2026", dt.date(2026, 3, 30), (dt.date(2026, 3, 25), 1)),  # only month/day is valid
        (
            "الخميس 03/05/2026",
            dt.date(2026, 3, 10),
            (dt.date(2026, 3, 5), 1),
        ),  # the weekday decides
        ("25 ديسمبر 2025", SAT, (dt.date(2025, 12, 25), 1)),
    ],
)
def test_dates_resolve_against_publication(text, published, expected) -> None:
    assert _date(text, published) == expected


def test_no_year_is_invented_without_a_publication_date() -> None:
    assert _date("22 يناير", None) is None
    assert _date("الخميس", None) is None


def test_relative_to_the_previous_incident() -> None:
    assert _date("في اليوم التالي", SAT, dt.date(2026, 1, 18)) == (dt.date(2026, 1, 19), 1)
    assert _date("في اليوم نفسه", SAT, dt.date(2026, 1, 18)) == (dt.date(2026, 1, 18), 1)
    assert _date("في اليوم التالي", SAT, None) is None


def test_a_stated_gregorian_date_wins_over_a_converted_hijri_one() -> None:
    # 26 Shaban 1447 is 14 February 2026; the text's own Gregorian date says 12 February
    text = (
        "يوم 26 شعبان 1447هـ الموافق 12 فبراير 2026، هاجمت الجماعة موقعا عسكريا في بلدة ديافارابي."
    )
    (p,) = propose(text, dt.date(2026, 2, 20))
    assert p.fields["event_date"].value == dt.date(2026, 2, 12)
    e = p.fields["event_date"].evidence[0]
    assert text[e.start : e.end] == "12 فبراير 2026"


def _toll(text: str) -> int | None:
    folded = fold_with_index(text).folded
    total = fatality_total(folded, find_fatalities(folded))
    return total[0] if total else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أسفر عن مقتل خمسة جنود ماليين", 5),
        ("أدى إلى مقتل ثلاثة جنود ومدنيان", 5),
        ("مقتل ثلاثة جنود ومدنيَّين اثنين", 5),
        ("مقتل جنديين وإصابة أربعة آخرين", 2),  # the wounded are not dead
        ("قُتل 14 شخصا", 14),
        ("إن نحو ثلاثين شخصا قُتلوا", 30),
        ("مقتل أحد عشر عنصرا", 11),
        ("عن مقتل عدد من الجنود والدركيين", None),  # "a number of": no figure
        ("خلفت عشرات القتلى", None),  # "dozens": no figure
        ("تدمير ثلاث مركبات عسكرية", None),  # a count that is not of people killed
        ("قتل 12 شخصا، بينما قالت مصادر أخرى إن الحصيلة بلغت 7 قتلى", 7),  # rival figures: lowest
    ],
)
def test_fatalities(text: str, expected: int | None) -> None:
    assert _toll(text) == expected


def test_claim_versus_attribution() -> None:
    claimed = "تبنت جماعة نصرة الإسلام والمسلمين يوم الأحد 8 مارس 2026 هجوما على موقع للجيش في مدينة نيونو."
    attributed = (
        "هاجم مسلحون يوم الأحد 8 مارس 2026 موقعا للجيش في مدينة نيونو، "
        "ونسبت مصادر محلية الهجوم إلى جماعة نصرة الإسلام والمسلمين."
    )
    (p,) = propose(claimed, dt.date(2026, 3, 10))
    assert p.fields["claimed_by"].value == "JNIM: Group for Support of Islam and Muslims"
    e = p.fields["claimed_by"].evidence[0]
    assert claimed[e.start : e.end] == "تبنت"
    (q,) = propose(attributed, dt.date(2026, 3, 10))
    assert "claimed_by" not in q.fields
    assert q.fields["actor1"].value == "JNIM: Group for Support of Islam and Muslims"


def test_a_report_without_incidents_proposes_nothing() -> None:
    text = (
        "تحليل: يرى باحثون أن الاعتماد على الطائرات المسيّرة لم يحد من وتيرة الهجمات في الساحل، "
        "وأن الجيوش الوطنية تواجه تحديات كبيرة في المناطق الحدودية."
    )
    assert propose(text, dt.date(2026, 2, 28)) == []


def test_one_sentence_two_dated_events_are_two_incidents() -> None:
    text = (
        "قُتل ثلاثة جنود يوم الأحد في كمين قرب بلدة نيونو، وفي اليوم التالي هاجم مسلحون "
        "قرية في دائرة بانكاس وقتلوا خمسة مدنيين."
    )
    first, second = propose(text, dt.date(2026, 3, 10))
    assert text[first.span_start : first.span_end].endswith("نيونو")
    assert (first.fields["event_date"].value, first.fields["admin1"].value) == (
        dt.date(2026, 3, 8),
        "Segou",
    )
    assert first.fields["fatalities"].value == 3
    assert second.fields["event_date"].value == dt.date(2026, 3, 9)  # "the next day"
    assert second.fields["admin1"].value == "Mopti"
    assert second.fields["fatalities"].value == 5
    assert second.fields["event_type"].value == "Violence against civilians"


def test_the_district_named_settles_a_namesake_village() -> None:
    # Boni exists in Kayes and in Mopti; "in the district of Douentza" says which one
    text = "قصفت طائرة مسيرة يوم السبت مواقع للمسلحين قرب مدينة بوني في دائرة دوينتزا."
    (p,) = propose(text, dt.date(2026, 2, 15))
    assert (p.fields["location"].value, p.fields["admin1"].value) == ("Boni", "Mopti")
    assert p.fields["geo_precision"].value == 2  # "near"


def test_the_victims_are_not_the_attacker() -> None:
    text = (
        "#مالي | مقتل 7 من عناصر الجيش المالي ومليشيا فاغنر في كمين لمجاهدي جماعة نصرة "
        "الإسلام والمسلمين على طريق دوينتزا – بوني، صباح اليوم السبت."
    )
    (p,) = propose(text, SAT)
    assert p.fields["actor1"].value == "JNIM: Group for Support of Islam and Muslims"
    assert p.fields["actor2"].value == "Military Forces of Mali (2021-)"
    assert p.fields["event_date"].value == SAT  # "this morning, Saturday"
    assert p.fields["fatalities"].value == 7
    assert p.fields["geo_precision"].value == 2  # on a road


def test_the_owner_of_a_target_is_not_the_attacker() -> None:
    """ "An ambush on a convoy belonging to the army": the army owns the target. It was taken
    for the agent, as the owner of a drone is ("a drone belonging to the army shelled")."""
    text = (
        "نصبت جماعة نصرة الإسلام والمسلمين يوم الأربعاء 2 ديسمبر 2026 كمينًا لقافلة عسكرية "
        "تابعة للجيش المالي قرب مدينة دوينتزا، ما أسفر عن مقتل أربعة جنود، وفق بيان للجماعة."
    )
    (p,) = propose(text, dt.date(2026, 12, 3))
    assert p.fields["actor1"].value == "JNIM: Group for Support of Islam and Muslims"
    assert p.fields["actor2"].value == "Military Forces of Mali (2021-)"
    # "according to a statement of the group" (للجماعة: ل + الجماعة) is the group's own word
    assert p.fields["claimed_by"].value == "JNIM: Group for Support of Islam and Muslims"
    drone = (
        "قصفت طائرة مسيرة تابعة للجيش المالي يوم الأربعاء 2 ديسمبر 2026 تجمعا لمسلحين قرب غوندام."
    )
    (q,) = propose(drone, dt.date(2026, 12, 3))
    assert q.fields["actor1"].value == "Military Forces of Mali (2021-)"


def test_an_actor_after_the_preposition_li_is_found_and_is_no_subject() -> None:
    folded = fold_with_index("استهدف دورية للدرك وفق بيان للجماعة").folded
    found = find_actors(folded)
    names = [folded[m.start : m.end] for m in found]
    assert names[-2:] == [fold_phrase("درك"), fold_phrase("جماعة")]
    assert all(folded[m.start - 2 : m.start] == "لل" for m in found[-2:])


def test_allies_joined_by_with_the_support_of() -> None:
    text = (
        "شن الجيش المالي بدعم من الفيلق الإفريقي هجوما على مواقع لجبهة تحرير أزواد قرب "
        "تساليت يوم 5 فبراير، وأعلن الجيش تحييد 12 إرهابيا."
    )
    (p,) = propose(text, dt.date(2026, 2, 7))
    assert p.fields["actor1"].value == "Military Forces of Mali (2021-)"
    assert p.fields["assoc_actor_1"].value == "Africa Corps"
    assert p.fields["actor2"].value == "FLA: Azawad Liberation Front"
    assert p.fields["claimed_by"].value == "Military Forces of Mali (2021-)"
    assert p.fields["fatalities"].value == 12


@pytest.mark.parametrize(
    ("first_line", "place", "published"),
    [
        ("باماكو – 24 يناير 2026", "Bamako", dt.date(2026, 1, 24)),
        ("الخميس 2 أبريل 2026 - باماكو", "Bamako", dt.date(2026, 4, 2)),  # place after the date
        ("تنبكتو ١٠ مارس ٢٠٢٦", "Tombouctou", dt.date(2026, 3, 10)),  # no separator
        ("نيامي/باماكو – 5 أبريل 2026 (رويترز)", "Niamey", dt.date(2026, 4, 5)),
        ("باماكو – 15/02/2026", "Bamako", dt.date(2026, 2, 15)),
        ("قناة رصد الساحل – السبت 21 مارس 2026", None, dt.date(2026, 3, 21)),  # an outlet
        ("باماكو (وكالات) – قالت مصادر أمنية إن مسلحين هاجموا", "Bamako", None),
        # a story's first line: its date is the event's, not the publication's
        (
            "قُتل 17 جنديا يوم 3 أبريل 2026 في كمين نصبه مسلحون قرب بلدة بانيبانغو غرب النيجر",
            None,
            None,
        ),
    ],
)
def test_datelines(first_line: str, place: str | None, published: dt.date | None) -> None:
    from db.extract import find_dateline

    line = find_dateline(first_line + "\nنص التقرير.")
    assert (line.place, line.published) == (place, published)
    if line.place_span is not None:
        quoted = first_line[line.place_span.start : line.place_span.end]
        assert "/" not in quoted and "–" not in quoted and quoted.strip() == quoted


def test_a_later_claim_joins_its_incident_and_a_tally_is_no_incident() -> None:
    text = (
        "قُتل خمسة جنود يوم الخميس في كمين قرب بلدة بوني.\n"
        "وأعلنت جماعة نصرة الإسلام والمسلمين يوم الخميس مسؤوليتها عن الهجوم.\n"
        "وقال تقرير أممي إن أكثر من 3000 شخص قتلوا في هجمات في منطقة موبتي منذ بداية العام."
    )
    (p,) = propose(text, SAT)
    assert text[p.span_start : p.span_end].endswith("مسؤوليتها عن الهجوم.")
    assert p.fields["actor1"].value == "JNIM: Group for Support of Islam and Muslims"
    assert p.fields["claimed_by"].value == "JNIM: Group for Support of Islam and Muslims"
    assert p.fields["fatalities"].value == 5


def test_day_of_this_or_last_month_and_its_digits_are_no_toll() -> None:
    assert _date("في 12 من الشهر الجاري", dt.date(2026, 3, 20)) == (dt.date(2026, 3, 12), 1)
    assert _date("في 28 من الشهر الماضي", dt.date(2026, 1, 20)) == (dt.date(2025, 12, 28), 1)
    text = "قتل جنديان في 28 من الشهر الماضي في كمين قرب كيدال."
    (p,) = propose(text, dt.date(2026, 3, 20))
    assert p.fields["event_date"].value == dt.date(2026, 2, 28)
    assert p.fields["fatalities"].value == 2  # not 2 + 28


def test_no_claim_when_nobody_claims_and_no_group_from_background() -> None:
    text = (
        "قال مسؤولون محليون إن 12 مدنيا على الأقل قتلوا، الثلاثاء، في هجوم شنه مسلحون على "
        "قرية قرب مدينة بانكاس وسط مالي.\n"
        "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن، لكن المنطقة تشهد نشاطا متزايدا لجماعة "
        "نصرة الإسلام والمسلمين."
    )
    (p,) = propose(text, dt.date(2026, 2, 5))
    assert p.fields["actor1"].value == "Unidentified Armed Group (Mali)"
    assert "claimed_by" not in p.fields
    assert p.fields["fatalities"].value == 12
    assert p.fields["event_date"].value == dt.date(2026, 2, 3)


def test_a_groups_own_outlet_is_its_claim_and_burning_is_property_destruction() -> None:
    text = (
        "#مالي | الزلاقة: مقتل 7 من عناصر الجيش المالي في كمين لمجاهدي جماعة نصرة الإسلام "
        "والمسلمين قرب بوني، صباح اليوم السبت."
    )
    (p,) = propose(text, SAT)
    assert p.fields["claimed_by"].value == "JNIM: Group for Support of Islam and Muslims"
    e = p.fields["claimed_by"].evidence[0]
    assert text[e.start : e.end] == "الزلاقة"
    burnt = "أحرق مسلحون مجهولون يوم الأحد سوق قرية قرب مدينة بانكاس ونهبوا المواشي."
    (q,) = propose(burnt, SAT)
    assert q.fields["sub_event_type"].value == "Looting/property destruction"
    assert "fatalities" not in q.fields


def test_background_about_past_attacks_is_no_incident() -> None:
    text = (
        "وكانت بلدة بوني قد تعرضت لهجوم مماثل العام الماضي أودى بحياة عشرات المدنيين.\n"
        "وتشهد مدينة ميناكا منذ سنوات هجمات متكررة لتنظيم الدولة الإسلامية."
    )
    assert propose(text, SAT) == []
