"""The coding store: every change saved at once, validated, audited, undoable; one coder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from db.coding import (
    CodingLocked,
    CodingStore,
    InvalidIncident,
    UnknownIncident,
    coding_path,
    read_history,
    read_revisions,
)
from db.evidence import FieldEvidence
from db.store import coding_lock_path
from db.validation import validate_incident
from tests.coding.conftest import proposals

NEW = {
    "event_date": "2026-02-01",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Remote explosive/landmine/IED",
    "country": "Mali",
    "admin1": "Gao",
    "location": "Gao",
    "latitude": "16.2666",
    "longitude": "-0.0400",
    "fatalities": "0",
    "notes": "An IED exploded in Gao; no casualties.",
}


def test_accept_reject_are_saved_at_once_with_who_and_when(coded_db: Path) -> None:
    (first, source), (second, _) = proposals(coded_db)
    with CodingStore.open(coded_db, user="amina") as store:
        assert store.accept(first) == 1
        assert store.reject(second) == 1
        # saved already: another reader sees it while the coder still holds the store
        saved = {(r["event_id"], r["status"], r["coded_by"]) for r in read_revisions(coded_db)}
        assert saved == {(first, "coded", "amina"), (second, "rejected", "amina")}
        rows = {r["event_id"]: r for r in store.incidents(source)}
    assert rows[first]["status"] == "coded" and rows[first]["revision"] == 1
    assert rows[second]["status"] == "rejected"
    assert isinstance(rows[first]["coded_at"], dt.datetime)
    evidence = rows[first]["evidence_fields"]
    assert evidence and all(isinstance(e, FieldEvidence) for e in evidence.values())
    assert rows[first]["spans"] == [(rows[first]["span_start"], rows[first]["span_end"])]


def test_incidents_of_a_source_in_reading_order_with_proposals(coded_db: Path) -> None:
    ids = proposals(coded_db)
    with CodingStore.open(coded_db, user="a") as store:
        rows = store.incidents(ids[0][1])
    assert [r["event_id"] for r in rows] == [i for i, _ in ids]
    assert [r["status"] for r in rows] == ["proposed", "proposed"]
    assert [r["revision"] for r in rows] == [0, 0]
    starts = [r["span_start"] for r in rows]
    assert starts == sorted(starts)


def test_edit_keeps_every_version_and_history_says_what_changed(coded_db: Path) -> None:
    (first, _), _ = proposals(coded_db)
    with CodingStore.open(coded_db, user="amina") as store:
        before = store.incident(first)
        assert store.save({"event_date": "2026-01-30", "fatalities": "15"}, first) == first
        store.save({"notes": "edited twice"}, first)
        history = store.history(first)
    assert [h.revision for h in history] == [0, 1, 2]
    assert history[0].coded_by is None and history[0].fields["status"] == "proposed"
    assert history[1].changes["event_date"] == (before["event_date"], dt.date(2026, 1, 30))
    assert history[1].changes["fatalities"] == (before["fatalities"], 15)
    assert history[1].changes["status"] == ("proposed", "coded")
    assert set(history[2].changes) == {"notes"} and history[2].action == "edit"
    # the same story read without the coder's lock (rasd history)
    assert [(h.revision, h.changes) for h in read_history(coded_db, first)] == [
        (h.revision, h.changes) for h in history
    ]


def test_create_gets_a_new_id_like_the_importers_and_is_coded(coded_db: Path) -> None:
    (_, source), _ = proposals(coded_db)
    with CodingStore.open(coded_db, user="a") as store:
        one = store.save({**NEW, "source_id": source, "span_start": 40, "span_end": 90})
        two = store.save({**NEW, "source_id": source})
        row = store.incident(one)
        ids = {r["event_id"] for r in store.incidents(source)}
    assert (one, two) == (f"{source}-C01", f"{source}-C02")
    assert {one, two} <= ids
    assert row["status"] == "coded" and row["dataset"] == "rasd"
    assert row["event_date"] == dt.date(2026, 2, 1) and row["fatalities"] == 0
    assert row["latitude"] == pytest.approx(16.2666)
    saved = next(r for r in read_revisions(coded_db) if r["event_id"] == one)
    assert "gao" in saved["search_text"]  # searchable like an imported incident


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"event_date": "2026-02-30"}, "event_date", "not a date"),
        ({"fatalities": "-1"}, "fatalities", "negative"),
        ({"fatalities": "many"}, "fatalities", "whole number"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "not in Mali"),
        ({"latitude": "95"}, "latitude", "out of range"),
        ({"event_type": ""}, "event_type", "required"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_saved(
    coded_db: Path, change: dict, field: str, message: str
) -> None:
    with CodingStore.open(coded_db, user="a") as store:
        with pytest.raises(InvalidIncident) as caught:
            store.save({**NEW, **change})
        assert message in caught.value.errors[field]
        assert validate_incident({**NEW, **change})[field] == caught.value.errors[field]
    assert read_revisions(coded_db) == []


def test_a_border_town_is_in_its_country_and_an_unknown_country_is_not_refused() -> None:
    assert validate_incident({**NEW, "latitude": 14.4469, "longitude": -11.4453}) == {}  # Kayes
    assert validate_incident({**NEW, "country": "Atlantis", "latitude": 1, "longitude": 1}) == {}
    assert validate_incident({**NEW, "fatalities": None}) == {}  # not reported


def test_undo_is_a_stack_and_restores_the_previous_version(coded_db: Path) -> None:
    (first, source), (second, _) = proposals(coded_db)
    with CodingStore.open(coded_db, user="a") as store:
        store.accept(first)
        store.save({"fatalities": 7}, first)
        store.reject(second)
        assert store.undo() == second
        assert store.incident(second)["status"] == "proposed"
        assert store.undo() == first
        assert store.incident(first)["status"] == "coded"
        assert store.incident(first)["fatalities"] != 7
        assert store.undo() == first
        assert store.incident(first)["status"] == "proposed"
        assert store.undo() is None
    assert read_revisions(coded_db) == []


def test_merge_keeps_one_rejects_the_other_and_undoes_as_one(coded_db: Path) -> None:
    (first, _), (second, _) = proposals(coded_db)
    with CodingStore.open(coded_db, user="a") as store:
        spans = [store.incident(i)["spans"][0] for i in (first, second)]
        assert store.merge(first, second, {"fatalities": 5}) == first
        kept, other = store.incident(first), store.incident(second)
        assert kept["status"] == "coded" and other["status"] == "rejected"
        assert kept["spans"] == [(min(s[0] for s in spans), max(s[1] for s in spans))]
        assert {r["action"] for r in read_revisions(coded_db)} == {"merge"}
        assert store.undo() == first
        assert store.incident(second)["status"] == "proposed"
    assert read_revisions(coded_db) == []


def test_split_makes_a_second_incident_and_the_first_keeps_the_rest_of_its_span(
    coded_db: Path,
) -> None:
    (first, _), _ = proposals(coded_db)
    with CodingStore.open(coded_db, user="a") as store:
        start, end = store.incident(first)["spans"][0]
        text = store._source_text(store.incident(first)["source_id"])
        assert text is not None
        cut = next(i for i in range(start + (end - start) // 2, end) if text[i] == " ")
        # the end of the span becomes an incident: the first keeps its beginning, trimmed
        new = store.split(first, {**NEW, "span_start": cut, "span_end": end})
        split, kept = store.incident(new), store.incident(first)
        assert split["spans"] == [(cut, end)] and split["status"] == "coded"
        assert kept["spans"] == [(start, cut)] and kept["status"] == "proposed"
        assert {r["action"] for r in read_revisions(coded_db)} == {"split"}
        assert store.undo() == new  # one change: both versions go
        assert store.incident(first)["spans"] == [(start, end)]
        with pytest.raises(UnknownIncident):
            store.incident(new)
        # its beginning becomes an incident: the first keeps the rest, without the space
        store.split(first, {**NEW, "span_start": start, "span_end": cut})
        assert store.incident(first)["spans"] == [(cut + 1, end)]
        store.undo()
        # the whole span: the first is left as it was
        store.split(first, {**NEW, "span_start": start, "span_end": end})
        assert store.incident(first)["spans"] == [(start, end)]
        with pytest.raises(ValueError, match="selected characters"):
            store.split(first, {**NEW, "span_start": end, "span_end": start})


def test_unknown_and_uneditable(coded_db: Path) -> None:
    with CodingStore.open(coded_db, user="a") as store:
        with pytest.raises(UnknownIncident):
            store.accept("NOPE")
        with pytest.raises(ValueError, match="not editable"):
            store.save({"dataset": "acled"}, proposals(coded_db)[0][0])
        assert store.history("NOPE") == []


def test_second_coder_is_told_who_holds_it_and_the_lock_goes_on_close(coded_db: Path) -> None:
    lock = coding_lock_path(Path(os.path.realpath(coded_db)))
    with CodingStore.open(coded_db, user="amina"):
        assert lock.exists()
        with pytest.raises(CodingLocked) as caught:
            CodingStore.open(coded_db, user="omar")
        message = str(caught.value)
        assert "amina" in message and f"pid {os.getpid()}" in message and "since" in message
    assert not lock.exists()
    with CodingStore.open(coded_db, user="omar"):  # free again
        pass


def test_a_dead_coders_lock_is_taken_over(coded_db: Path) -> None:
    lock = coding_lock_path(Path(os.path.realpath(coded_db)))
    lock.write_text("ghost\t999999\t2026-01-01 00:00 UTC")  # no flock held: its holder died
    with CodingStore.open(coded_db, user="amina"):
        assert lock.read_text().startswith("amina\t")
    assert not lock.exists()


def test_the_coding_file_sits_beside_the_main_one_and_the_main_is_never_written(
    coded_db: Path,
) -> None:
    before = coded_db.stat()
    with CodingStore.open(coded_db, user="a") as store:
        store.accept(proposals(coded_db)[0][0])
    after = coded_db.stat()
    assert coding_path(coded_db) == coded_db.with_name("rasd.coding.duckdb")
    assert coding_path(coded_db).exists()
    assert (before.st_ino, before.st_mtime_ns, before.st_size) == (
        after.st_ino,
        after.st_mtime_ns,
        after.st_size,
    )
