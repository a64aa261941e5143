"""Reading the one row (or the one value) of an aggregate query, typed.

DuckDB types `fetchone()` as `tuple | None`; an aggregate always returns a row, and these say so
once instead of indexing an Optional at every call site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb


def one_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The one row an aggregate query returns (`fetchone()` is typed as maybe None)."""
    row = result.fetchone()
    if row is None:
        raise LookupError("the query returned no row")
    return row


def scalar(result: duckdb.DuckDBPyConnection) -> Any:
    """The first value of that row: `scalar(con.execute("SELECT count(*) ..."))`."""
    return one_row(result)[0]
