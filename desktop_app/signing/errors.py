"""Errors of signing and verifying, each a complete Swedish message (see domain.errors)."""

from __future__ import annotations

from desktop_app.domain.errors import UserError


class SigningError(UserError):
    """A signature cannot be made: wrong password or PIN, no key, a file that is not ready for
    this step. Exit code 1: the input was read but refused."""

    exit_code = 1


class KeyFileError(UserError):
    """A PKCS#12 file or a PKCS#11 module that cannot be opened (exit code 2)."""


class UnreadablePdfError(UserError):
    """A file that is not a readable PDF (exit code 2)."""
