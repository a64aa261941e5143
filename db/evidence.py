"""Per-field evidence of a proposed incident, as stored in `incidents.evidence` (JSON text).

`{"event_date": {"confidence": 0.9, "spans": [[120, 134]]}, "fatalities": {...}}`: for each
incident column the extractor filled (or found not reported), how sure it is and the character
spans `[start, end)` of the report that say so. A VARCHAR rather than a nested type: it exports
to CSV, JSON and Parquet alike and compares as text when an import checks for changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    confidence: float | None
    spans: tuple[tuple[int, int], ...]


def encode_evidence(fields: Mapping[str, FieldEvidence]) -> str | None:
    """Canonical JSON (sorted keys), so the same evidence is always the same text."""
    if not fields:
        return None
    doc = {
        name: {
            "confidence": None if ev.confidence is None else round(float(ev.confidence), 4),
            "spans": [[int(a), int(b)] for a, b in ev.spans],
        }
        for name, ev in fields.items()
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_evidence(text: str | None) -> dict[str, FieldEvidence]:
    """The stored JSON back as FieldEvidence; malformed entries are left out, never raised."""
    out: dict[str, FieldEvidence] = {}
    for name, entry in parse_evidence(text).items():
        if not isinstance(entry, Mapping):
            continue
        confidence = entry.get("confidence")
        spans = tuple(_spans(entry.get("spans") or ()))
        out[str(name)] = FieldEvidence(
            float(confidence) if isinstance(confidence, int | float) else None, spans
        )
    return out


def parse_evidence(text: str | None) -> dict[str, Any]:
    """The stored JSON as plain data (for `--format json`); {} when absent or not JSON."""
    if not text:
        return {}
    try:
        doc = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _spans(raw: Iterable[Any]) -> Iterable[tuple[int, int]]:
    for item in raw:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in item)
            and 0 <= item[0] <= item[1]
        ):
            yield int(item[0]), int(item[1])
