"""Sentences and headings of a report, as character spans of the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"[.!?؟]+(?=\s|$)|\n+")
_HEADING_MAX_WORDS = 8


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    heading: bool
    """A short line without closing punctuation: a section title, never an incident."""
    paragraph_start: bool


def split_sentences(text: str) -> list[Sentence]:
    """Split on sentence-final punctuation followed by space, and on line ends."""
    out: list[Sentence] = []
    pos = 0
    new_paragraph = True
    for match in _END.finditer(text):
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add(text, pos, end, new_paragraph, out)
        new_paragraph = "\n" in match.group()
        pos = match.end()
    _add(text, pos, len(text), new_paragraph, out)
    return out


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """text[start:end] without the white space at its ends; None when nothing else is in it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _add(text: str, start: int, end: int, paragraph_start: bool, out: list[Sentence]) -> None:
    span = trimmed_span(text, start, end)
    if span is None:
        return
    start, end = span
    chunk = text[start:end]
    line_end = end >= len(text) or text[end : end + 1] == "\n"
    line_start = start == 0 or text[start - 1] == "\n"
    words = len(chunk.split())
    heading = (
        line_start
        and line_end
        and words <= _HEADING_MAX_WORDS
        and not chunk.endswith((".", "!", "؟", "?"))
    )
    out.append(Sentence(start, end, heading, paragraph_start))
