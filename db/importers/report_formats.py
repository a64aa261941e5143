"""Reading a report file: plain text or Markdown, a saved web page, a Telegram Desktop export.

Pure functions from a file's bytes to `ReportDoc`s (no database): every refusal is an
`ImportFailed` naming the file and the reason. Text files are kept exactly as received (only the
encoding is converted to UTF-8, and said so); a web page keeps its main text as trafilatura
extracts it (see README, "Bring your own reports", for why trafilatura); a Telegram export gives
one report per message that has text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.importers.common import ImportFailed, decode_text

MAX_REPORT_CHARS = 2_000_000
"""A report longer than this is not a report (a 2,000-word report is ~12,000 characters)."""
MAX_FILE_BYTES = 64 << 20
"""Web pages and text files; a saved page with inline images can reach tens of MB."""
MAX_TELEGRAM_BYTES = 1 << 30
TITLE_CHARS = 100


@dataclass(frozen=True, slots=True)
class ReportDoc:
    """One report read from a file, before it is dated and stored."""

    text: str
    format: str
    """text | markdown | html | telegram"""
    title: str | None = None
    published: dt.date | None = None
    """From the page's metadata or the message's date (the dateline is read later)."""
    date_basis: str | None = None
    outlet: str | None = None
    url: str | None = None
    forwarded_from: str | None = None
    encoding_note: str | None = None
    where: str | None = None
    """Where in the file (a Telegram message id), for messages."""


def detect_format(path: Path, head: bytes) -> str:
    name = path.name.lower()
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith((".html", ".htm", ".xhtml", ".mhtml")):
        return "html"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".json") or stripped[:1] == b"{":
        return "telegram"
    if stripped[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_report_file(path: Path) -> list[ReportDoc]:
    """The reports in one file; ImportFailed for anything that is not one."""
    if not path.exists():
        raise ImportFailed(path, "no such file")
    if path.is_dir():
        raise ImportFailed(path, "is a directory, not a file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ImportFailed(path, f"cannot read ({exc.strerror})") from exc
    fmt = detect_format(path, head)
    limit = MAX_TELEGRAM_BYTES if fmt == "telegram" else MAX_FILE_BYTES
    if size > limit:
        raise ImportFailed(
            path,
            f"{size / (1 << 20):,.0f} MB is too large for a {fmt} report "
            f"(at most {limit >> 20:,} MB)",
        )
    data = path.read_bytes()
    text, note = decode_text(data, path)
    if not text.strip():
        raise ImportFailed(path, "the file is empty")
    if fmt == "telegram":
        return telegram_reports(text, path, note)
    if fmt == "html":
        return [html_report(text, path, note)]
    check_report_text(text, path)
    return [ReportDoc(text, fmt, title=first_line_title(text), encoding_note=note)]


def check_report_text(text: str, path: Path | str, where: str = "") -> None:
    """Refuse what cannot be a report: too long, or one enormous line (a dump, not prose)."""
    if len(text) > MAX_REPORT_CHARS:
        raise ImportFailed(
            path,
            f"{where}{len(text):,} characters is too long for one report "
            f"(at most {MAX_REPORT_CHARS:,})",
        )
    if not re.search(r"[^\W\d_]", text):
        raise ImportFailed(path, f"{where}no words in it: not a report")


def first_line_title(text: str) -> str | None:
    """The first non-empty line (a Markdown heading's text), cut with a mark when long."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"
    return None


# ---- web pages ---------------------------------------------------------------------------------


def html_report(page: str, path: Path, note: str | None) -> ReportDoc:
    """The page's main text, title, date, outlet and address, as trafilatura extracts them."""
    if not re.search(r"<\s*(html|body|p|div|article|head|title)\b", page[:200_000], re.I):
        raise ImportFailed(path, "not a web page (no HTML elements)")
    if not re.search(r"</\s*(html|body)\s*>", page[-4096:], re.I):
        raise ImportFailed(
            path,
            "truncated web page (it does not end with </body> or </html>); "
            "save the whole page again",
        )
    import trafilatura  # late: ~1 s to import, and only web pages need it

    doc = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        deduplicate=False,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ImportFailed(path, "no main text found in the web page")
    check_report_text(text, path)
    published = None
    basis = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        try:
            published = dt.date.fromisoformat(str(raw_date)[:10])
            basis = "the page's metadata"
        except ValueError:
            published = None
    return ReportDoc(
        text,
        "html",
        title=_clean(getattr(doc, "title", None)) or first_line_title(text),
        published=published,
        date_basis=basis,
        outlet=_clean(getattr(doc, "sitename", None)),
        url=_clean(getattr(doc, "url", None)),
        encoding_note=note,
    )


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# ---- Telegram Desktop exports ------------------------------------------------------------------


def telegram_reports(raw: str, path: Path, note: str | None) -> list[ReportDoc]:
    """One report per message with text, from a channel's `result.json` (Telegram Desktop)."""
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise ImportFailed(path, f"not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        raise ImportFailed(
            path, 'not a Telegram Desktop channel export (result.json with a "messages" list)'
        )
    channel = _clean(doc.get("name"))
    out: list[ReportDoc] = []
    for i, message in enumerate(doc["messages"]):
        if not isinstance(message, dict):
            raise ImportFailed(path, f"message {i + 1} is not an object: not a Telegram export")
        if message.get("type", "message") != "message":
            continue  # service messages: joins, pins, title changes
        where = f"message {message.get('id', i + 1)}: "
        text = message_text(message.get("text", ""), path, where)
        if not text.strip():
            continue  # a photo or a file without a caption
        check_report_text(text, path, where)
        out.append(
            ReportDoc(
                text,
                "telegram",
                title=first_line_title(text),
                published=_message_date(message.get("date"), path, where),
                date_basis="the message's date",
                outlet=channel or _clean(message.get("from")),
                forwarded_from=_clean(message.get("forwarded_from")),
                encoding_note=note,
                where=where.rstrip(": "),
            )
        )
    return out


def message_text(value: Any, path: Path, where: str = "") -> str:
    """A message's text: a string, or a list of strings and entities ({"type", "text"})."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                raise ImportFailed(
                    path, f"{where}text entity of unknown shape: not a Telegram export"
                )
        return "".join(parts)
    raise ImportFailed(path, f"{where}text is neither a string nor a list: not a Telegram export")


def _message_date(value: Any, path: Path, where: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(str(value)).date()
    except (TypeError, ValueError) as exc:
        raise ImportFailed(path, f"{where}date {value!r} is not an ISO date") from exc
