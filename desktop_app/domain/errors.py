"""Typed errors whose text is shown to the user as it is (Swedish)."""

from __future__ import annotations


class UserError(Exception):
    """An error caused by the user's input or files; ``str(err)`` is a complete Swedish message.

    ``exit_code`` is what the CLI exits with: 2 for bad usage or unreadable input, 1 for input
    that was read but refused because of its content."""

    exit_code = 2


class TemplateError(UserError):
    """A yearly template is missing, unknown or broken."""


class DocumentError(UserError):
    """A report document (JSON) cannot be read or does not follow its schema."""
