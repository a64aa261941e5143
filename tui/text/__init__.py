"""Pure text processing for display: sanitize, reshape, bidi-order, wrap. No Textual imports."""
