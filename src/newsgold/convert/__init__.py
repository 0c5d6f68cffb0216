"""Converters between newsgold records and the formats systems read and write (one module per format)."""
