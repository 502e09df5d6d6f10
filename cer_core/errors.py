"""Errors the engine raises on bad input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user/scenario input; names the field and the allowed range.

    ``code`` (``"range"``, ``"choice"``, ``"date"`` or a module's own) and ``values`` let a page
    translate the message (the app's ``engine.error.<code>``, ``app/components/engine_text.py``):
    a refusal that can reach a page gives both, and never a sentence built for display.
    ``str(error)`` is always ``"<field>: <message>"`` in English.
    """

    def __init__(self, field: str, message: str, code: str | None = None, **values):
        self.field, self.message, self.code, self.values = field, message, code, values
        super().__init__(f"{field}: {message}")
