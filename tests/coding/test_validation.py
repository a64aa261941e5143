"""The rules the form shares with the importers (db/validation.py): the seed passes them, and a
sub-event type must belong to its event type."""

from __future__ import annotations

from db.seed import seed_document
from db.validation import validate_incident


def test_every_seed_incident_passes() -> None:
    for inc in seed_document()["incidents"]:
        assert validate_incident(inc) == {}, inc["event_id"]


def test_a_sub_event_type_belongs_to_its_event_type() -> None:
    inc = dict(seed_document()["incidents"][2])  # Battles, Armed clash
    errors = validate_incident(inc | {"sub_event_type": "Air/drone strike"})
    assert errors == {"sub_event_type": "not a sub-event type of Battles"}
    assert validate_incident(inc | {"sub_event_type": None}) == {}
    # types outside ACLED's vocabulary (UCDP's, older exports') are not second-guessed
    assert validate_incident(inc | {"event_type": "State-based", "sub_event_type": "x"}) == {}
