"""One error type for problems a user can fix: the CLI prints its message on one line, no traceback."""

from __future__ import annotations


class AnalysisError(Exception):
    """A problem with the input or the call, with a message that names the file or value and what to do."""


class InputError(AnalysisError):
    """Bad input data: a missing, empty, binary, mis-encoded or mis-hashed file, or a malformed manifest."""


class UsageError(AnalysisError):
    """A bad command-line value: an unknown region, domain, format or language."""


class NotebookError(AnalysisError):
    """A notebook cell failed while the build executed it: the build stops and moves nothing into place."""
