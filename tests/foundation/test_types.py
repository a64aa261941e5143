"""The typed store boundary stays true to the schema."""

from __future__ import annotations

import types
import typing
from pathlib import Path

import duckdb
import pytest

from db.columns import INCIDENT_COLUMNS, IncidentFields
from db.queries import get_incident
from db.rows import scalar
from db.store import open_db


def test_the_incident_record_has_every_column_with_the_schemas_nullability(seed_db: Path) -> None:
    hints = typing.get_type_hints(IncidentFields)
    assert tuple(hints) == INCIDENT_COLUMNS
    con = open_db(seed_db)
    nullable = {
        name: null == "YES" for name, _, null, *_ in con.execute("DESCRIBE incidents").fetchall()
    }
    for name, hint in hints.items():
        optional = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
        assert optional == nullable[name], name
    incident = get_incident(con, scalar(con.execute("SELECT min(event_id) FROM incidents")))
    assert incident is not None
    for name, hint in hints.items():
        value = incident.fields[name]  # type: ignore[literal-required]
        assert value is None or isinstance(value, typing.get_args(hint) or hint), (name, value)


def test_scalar_reads_the_one_value_and_refuses_no_row() -> None:
    con = duckdb.connect()
    assert scalar(con.execute("SELECT count(*) FROM range(7)")) == 7
    with pytest.raises(LookupError):
        scalar(con.execute("SELECT 1 WHERE false"))
