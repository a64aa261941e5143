"""ACLED's vocabulary has one home (db/vocabulary.py) that the extractor, the form and the seed
agree with; the pickers' look-ups find actors and places by Arabic or Latin beginnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from db import vocabulary as v
from db.extract import events
from db.extract.actors import actor_inter, known_actors
from db.extract.gazetteer import search
from db.folding import fold, name_words, prefix_rank
from db.queries import distinct_actors
from db.seed import seed_document


def test_six_event_types_with_their_sub_event_types() -> None:
    assert len(v.EVENT_TYPES) == 6
    assert v.sub_event_types("Riots") == ("Violent demonstration", "Mob violence")
    assert v.sub_event_types("Nonsense") == () and v.sub_event_types(None) == ()
    everything = [s for subs in v.EVENT_TYPES.values() for s in subs]
    assert "Remote explosive/landmine/IED" in v.EVENT_TYPES["Explosions/Remote violence"]
    assert everything.count("Other") == 1  # the only sub-type name is never shared


def test_every_extractor_rule_uses_the_vocabulary() -> None:
    variants = [
        ("Protests", "Protest with intervention"),
        ("Battles", "Government regains territory"),
        ("Strategic developments", "Arrests"),
    ]
    for _rule, event_type, sub in [*events._RULES, *(("x", *p) for p in variants)]:  # noqa: SLF001
        assert sub in v.sub_event_types(event_type), (event_type, sub)


def test_derived_columns_agree_with_the_seed() -> None:
    for inc in seed_document()["incidents"]:
        assert v.disorder_type(inc["event_type"], inc["sub_event_type"]) == inc["disorder_type"]
        assert v.interaction(inc["inter1"], inc["inter2"]) == inc["interaction"]


def test_disorder_type_follows_the_sub_event_where_acled_says_so() -> None:
    assert v.disorder_type("Riots", "Violent demonstration") == "Demonstrations"
    assert v.disorder_type("Riots", "Mob violence") == "Political violence"
    assert v.disorder_type("Protests", "Peaceful protest") == "Demonstrations"
    assert (
        v.disorder_type("Protests", "Excessive force against protesters")
        == "Political violence; Demonstrations"
    )
    assert v.disorder_type("Strategic developments", "Other") == "Strategic developments"
    assert v.disorder_type("Battles") == "Political violence"
    assert v.disorder_type(None) is None
    assert set(map(v.disorder_type, v.EVENT_TYPES)) <= set(v.DISORDER_TYPES)


def test_interaction_names_both_actor_types_or_a_sole_action() -> None:
    assert v.interaction("Rebel group", "State forces") == "Rebel group-State forces"
    assert v.interaction("State forces", None) == "Sole state forces action"
    assert v.interaction(None, "Civilians") is None
    assert all(v.interaction(t, None) for t in v.INTER_TYPES)


def test_known_actors_have_acled_types_and_arabic_spellings() -> None:
    actors = {a.name: a for a in known_actors(dt.date(2026, 1, 20))}
    assert actors["Military Forces of Mali (2021-)"].inter == "State forces"
    assert fold("الجيش المالي") in actors["Military Forces of Mali (2021-)"].spellings
    assert all(a.inter in v.INTER_TYPES for a in actors.values())
    assert "group" not in actors  # a generic word names no actor


def test_actor_types_inferred_for_the_seed_actors() -> None:
    for inc in seed_document()["incidents"]:
        for actor, inter in ((inc["actor1"], inc["inter1"]), (inc["actor2"], inc["inter2"])):
            if actor is not None:
                assert actor_inter(actor) == inter, actor
    assert actor_inter("Military Forces of Burkina Faso (2022-)") == "State forces"
    assert actor_inter("Some new militia") is None


def test_prefix_rank_by_beginning_then_by_words() -> None:
    names = (fold("Military Forces of Mali (2021-)"), fold("الجيش المالي"))
    assert prefix_rank(fold("Milit"), names) == 0
    assert prefix_rank(fold("forces MALI"), names) == 1
    assert prefix_rank(fold("الجيش"), names) == 0
    assert prefix_rank(fold("المالي"), names) == 1
    assert prefix_rank(fold("2021"), names) == 1  # a word inside brackets
    assert prefix_rank(fold("rebels"), names) is None
    assert prefix_rank(fold("  "), names) is None
    assert prefix_rank(fold("forces mali"), names, name_words(names)) == 1


@pytest.mark.parametrize(
    ("typed", "name", "admin2"),
    [
        ("سيكاسو", "Sikasso", "Sikasso"),
        ("Sikas", "Sikasso", "Sikasso"),
        ("sare mala", "Saré-Mala", "Mopti"),
        ("Bema", "Béma", "Nioro"),
        ("بيما", "Béma", "Nioro"),
        ("لولوني", "Loulouni", "Kadiolo"),
    ],
)
def test_gazetteer_search_by_arabic_or_latin(typed: str, name: str, admin2: str) -> None:
    found = [(p.name, p.admin2) for p in search(typed)]
    assert (name, admin2) in found[:5], found


def test_gazetteer_search_ranks_the_exact_name_first() -> None:
    first = search("Bamako")[0]
    assert (first.name, first.country, first.iso, first.admin1) == ("Bamako", "Mali", 466, "Bamako")
    assert search("") == [] and search("zzzzqqq") == []


def test_distinct_actors_counts_each_named_actor(seed_db: Path) -> None:
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        actors = dict(distinct_actors(con))
    finally:
        con.close()
    incidents = seed_document()["incidents"]
    jnim = "JNIM: Group for Support of Islam and Muslims"
    assert actors[jnim] == sum(jnim in (i["actor1"], i["actor2"]) for i in incidents)
    assert actors["Africa Corps"] == 1  # an associated actor counts too
