"""Errors the engine raises on bad input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user/scenario input; names the field and the allowed range."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")
