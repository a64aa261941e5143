"""The map's drawing: pure functions over braille cells (no Textual, no database)."""
