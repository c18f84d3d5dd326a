"""Processes: the one place that decides how the package starts them.

Pools fork where the platform can (Linux), so workers inherit the tokenizer, lexicons and tables the
parent has already loaded; elsewhere they are spawned and load what they need once. Results come
back in submission order, so a parallel run builds the same tables as a serial one.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable


def context():
    """The multiprocessing context to start workers with: fork where available, else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def pool(processes: int):
    """A ``multiprocessing`` pool of ``processes`` workers (see :func:`context`)."""
    return context().Pool(processes)


class Background:
    """``func(*args)`` in one child process while the caller goes on; :meth:`result` waits for it.

    With ``enabled=False`` nothing starts and :meth:`result` calls ``func`` in this process, so the
    caller's code is the same either way.
    """

    def __init__(self, func: Callable[..., Any], *args, enabled: bool = True):
        self.func, self.args = func, args
        self._executor = self._future = None
        if enabled:
            self._executor = ProcessPoolExecutor(1, mp_context=context())
            self._future = self._executor.submit(func, *args)

    def result(self):
        if self._future is None:
            return self.func(*self.args)
        try:
            return self._future.result()
        finally:
            self._executor.shutdown()
