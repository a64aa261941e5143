"""Build rasd's compact gazetteer from a GeoNames country dump (GeoNames, CC BY 4.0).

    python -m db.extract.gazetteer_build ../shared/geo/geonames-ML.txt \
        --admin1-names ../shared/geo/mali-admin1-names.csv \
        --admin1-shapes ../shared/geo/mali-admin1.geoboundaries.geojson \
        -o db/data/gazetteer-ML.tsv.gz

Keeps populated places and administrative units only (what reports name as event places), with
their admin1 under ACLED's spelling, an admin2 (the GeoNames code, else the nearest cercle seat
in the same admin1), coordinates, population and the Arabic-script names GeoNames has (Persian
and Urdu forms dropped). `rasd gazetteer add FILE` uses the same reader for other countries.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from db.extract.gazetteer import latin_key
from db.places import canonical_admin1
from db.safe_write import atomic_writer

MENAKA_WEST = 1.5
"""Approximate western edge of the Ménaka region (degrees east): Gao places east of it are
Ménaka's (Andéramboukane, Inékar, Ménaka, Tidermène); Tessit and Ansongo stay in Gao."""
COLUMNS = (
    "name",
    "alt",
    "ar",
    "lat",
    "lon",
    "rank",
    "country",
    "admin1",
    "admin2",
    "population",
    "feature",
    "keys",
)
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 ]+$")
# rank: 1 admin1 / its capital, 2 admin2 / seat, 3 town, 4 village
_RANKS = {
    "PPLC": 1,
    "PPLA": 1,
    "ADM1": 1,
    "PPLA2": 2,
    "ADM2": 2,
    "PPLA3": 3,
    "ADM3": 3,
    "PPLA4": 3,
    "PPL": 4,
    "PPLX": 4,
    "PPLL": 4,
    "PPLS": 4,
    "PPLF": 4,
    "PPLQ": 5,
}
_ADMIN_WORDS = re.compile(
    r"^Cercle d(?:e |’ ?|' ?)|\b(?:Cercle|Region|Région|District|Circle)\b", re.I
)


@dataclass
class Row:
    name: str
    alt: list[str]
    ar: list[str]
    lat: float
    lon: float
    rank: int
    country: str
    admin1: str
    admin2: str
    population: int
    feature: str = ""
    """GeoNames feature code: ADM1 rows stand for a whole region, not its capital."""

    def line(self) -> str:
        return "\t".join(
            (
                self.name,
                "|".join(self.alt),
                "|".join(self.ar),
                f"{self.lat:.5f}",
                f"{self.lon:.5f}",
                str(self.rank),
                self.country,
                self.admin1,
                self.admin2,
                str(self.population),
                self.feature,
                "|".join(dict.fromkeys(latin_key(n) for n in (self.name, *self.alt))),
            )
        )


def _plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


def _admin_name(name: str) -> str:
    return _plain(_ADMIN_WORDS.sub("", name).strip(" -’'")) or name


def read_geonames(lines: Iterable[str]) -> list[list[str]]:
    """GeoNames `geoname` rows (19 tab-separated columns); anything else is an error."""
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15:
            raise ValueError(f"line {number}: not a GeoNames dump row ({len(cols)} columns)")
        rows.append(cols)
    return rows


def build(rows: list[list[str]], shapes: dict | None = None) -> list[Row]:
    """Populated places and admin units, with admin1/admin2 names filled in."""
    admin1_names: dict[str, str] = {}
    admin2_names: dict[str, str] = {}
    for c in rows:
        if c[7] == "ADM1":
            admin1_names[c[10]] = canonical_admin1(_admin_name(c[2])) or c[2]
        elif c[7] == "ADM2" and c[11]:
            admin2_names[c[11]] = _admin_name(c[2])
    # Taoudenit is coded under Tombouctou by ACLED.
    # Ménaka became a region in 2016; GeoNames still files most of its places under Gao.
    for code, name in list(admin1_names.items()):
        if name.startswith("Taoud"):
            admin1_names[code] = "Tombouctou"
    out: list[Row] = []
    for c in rows:
        code = c[7]
        if c[6] not in ("P", "A") or code not in _RANKS:
            continue
        lat, lon = float(c[4]), float(c[5])
        admin1 = admin1_names.get(c[10], "")
        if not admin1 and shapes:
            admin1 = _point_in(shapes, lon, lat)
        if admin1 == "Gao" and c[8] == "ML" and lon >= MENAKA_WEST:
            admin1 = "Menaka"
        alt = [a for a in c[3].split(",") if a and not _ARABIC_ONLY.match(a)]
        alt = [a for a in alt if a.isascii() and a != c[2] and a[0].isupper()][:6]
        ar = [a.strip() for a in c[3].split(",") if _ARABIC_ONLY.match(a.strip())]
        admin2 = admin2_names.get(c[11], "") if len(c) > 11 else ""
        if code == "ADM2":
            admin2 = _admin_name(c[2])
        name = _admin_name(c[1]) if code.startswith("ADM") else c[1]
        pop = int(c[14] or 0)
        out.append(Row(name, alt, ar, lat, lon, _RANKS[code], c[8], admin1, admin2, pop, code))
    _fill_admin2(out)
    return out


def _fill_admin2(rows: list[Row]) -> None:
    """A place without an admin2 gets the cercle of the nearest seat in its admin1 (approximate)."""
    seats = [
        r
        for r in rows
        if r.rank <= 2
        and r.admin1
        and not r.name.endswith("Region")
        and r.rank != 1
        or (r.rank == 1 and r.population > 0)
    ]
    for r in rows:
        if r.admin2 or not r.admin1:
            continue
        best = min(
            (s for s in seats if s.admin1 == r.admin1),
            key=lambda s: (
                (s.lat - r.lat) ** 2 + ((s.lon - r.lon) * math.cos(math.radians(r.lat))) ** 2
            ),
            default=None,
        )
        if best is not None:
            r.admin2 = best.admin2 or _plain(best.name)


def _point_in(shapes: dict, x: float, y: float) -> str:
    for feature in shapes.get("features", []):
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            if _ring_contains(poly[0], x, y):
                name = feature["properties"].get("shapeName") or feature["properties"].get("name")
                return canonical_admin1(name) or ""
    return ""


def _ring_contains(ring: list[list[float]], x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def admin1_rows(path: Path) -> Iterator[Row]:
    """Regions and 2023 regions with attested Arabic names (mali-admin1-names.csv)."""
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            acled = rec["acled_admin1"]
            if acled.startswith("("):  # "(Kayes in ACLED)"
                acled = acled.strip("()").split(" in ")[0]
            if "not used" in acled:
                acled = "Tombouctou"
            names_ar = [
                n for n in (rec["name_ar"], *rec["name_ar_variants_attested"].split("|")) if n
            ]
            if "suggested" in rec["notes"]:
                names_ar = []  # unattested transliterations are not evidence of a spelling
            if rec["scheme"] == "law2023" and rec["capital"] and names_ar:
                name = rec["capital"]
                yield Row(
                    name,
                    [rec["name_fr"]],
                    names_ar,
                    float(rec["capital_lat"]),
                    float(rec["capital_lon"]),
                    2,
                    "ML",
                    acled,
                    _plain(name.split(" (")[0]),
                    0,
                )


def write(rows: list[Row], out: Path, *, make_parents: bool = False) -> None:
    """Write the gzip TSV (deterministic: no timestamp in the header)."""
    buf = io.StringIO()
    buf.write("\t".join(COLUMNS) + "\n")
    for r in sorted(rows, key=lambda r: (r.country, r.admin1, r.name, r.lat, r.lon)):
        buf.write(r.line() + "\n")
    data = gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    if make_parents:
        out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(out) as fh:
        fh.write(data)


def read_dump(path: Path) -> list[list[str]]:
    """Rows of a GeoNames country dump: `XX.txt`, or the `XX.zip` GeoNames distributes."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            if len(names) != 1:
                raise ValueError(
                    f"a GeoNames zip holds one COUNTRY.txt; this one holds {len(names)} text files"
                )
            with zf.open(names[0]) as raw:
                return read_geonames(io.TextIOWrapper(raw, encoding="utf-8"))
    with path.open(encoding="utf-8") as fh:
        return read_geonames(fh)


def add_dump(path: Path, target_dir: Path) -> tuple[Path, int, str]:
    """Add one country's GeoNames dump to the user's gazetteer: (file written, places, country).

    Raises ValueError (not a dump, several countries, no places) and OSError; nothing is
    written then. Adding the same country again replaces its file.
    """
    rows = build(read_dump(path))
    countries = {r.country for r in rows}
    if not rows:
        raise ValueError("no populated places or administrative units in it")
    if len(countries) != 1 or not re.fullmatch(r"[A-Z]{2}", next(iter(countries))):
        raise ValueError(f"expected one country's dump, found {len(countries)} country codes")
    code = countries.pop()
    out = target_dir / f"{code}.tsv.gz"
    write(rows, out, make_parents=True)
    return out, len(rows), code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path)
    ap.add_argument("--admin1-names", type=Path)
    ap.add_argument("--admin1-shapes", type=Path)
    ap.add_argument("-o", "--out", type=Path, required=True)
    args = ap.parse_args(argv)
    with args.dump.open(encoding="utf-8") as fh:
        rows = build(
            read_geonames(fh),
            json.loads(args.admin1_shapes.read_text()) if args.admin1_shapes else None,
        )
    if args.admin1_names:
        rows.extend(admin1_rows(args.admin1_names))
    write(rows, args.out)
    print(f"{len(rows)} places -> {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
