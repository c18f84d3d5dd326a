"""Processes: the one place that decides how the package starts them.

Pools fork where the platform can (Linux), so workers inherit the tokenizer, lexicons and tables the
parent has already loaded; elsewhere they are spawned and load what they need once. Results come
back in submission order, so a parallel run builds the same tables as a serial one.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from contextlib import contextmanager
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on (its CPU affinity on Linux, else the machine's count)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def runs(items: Sequence[T], *, size: int, length: Callable[[T], int] = len) -> list[list[T]]:
    """Consecutive runs of ``items`` of about ``size`` in total ``length`` each, order kept: a run closes
    once it reaches ``size``. The work a pool hands to a worker at a time."""
    out: list[list[T]] = []
    cur: list[T] = []
    n = 0
    for item in items:
        cur.append(item)
        n += length(item)
        if n >= size:
            out.append(cur)
            cur, n = [], 0
    if cur:
        out.append(cur)
    return out


@contextmanager
def frozen_gc():
    """Fork inside this block: the objects that exist now are moved out of the garbage collector's
    reach (``gc.freeze``), so a forked child's collections do not write to them and copy their pages
    (copy-on-write); this process gets them back (``gc.unfreeze``) when the block ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def context():
    """The multiprocessing context to start workers with: fork where available, else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


@contextmanager
def pool(processes: int):
    """A ``multiprocessing`` pool of ``processes`` workers (see :func:`context`), forked with the garbage
    collector frozen (:func:`frozen_gc`), closed (terminated) when the block ends."""
    with frozen_gc():
        workers = context().Pool(processes)
    with workers:
        yield workers


def _child(send, func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        send.send((True, func(*args, **kwargs)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        send.send((False, exc))
    finally:
        send.close()


class Background:
    """``func(*args, **kwargs)`` in one child process while the caller goes on; :meth:`result` waits for it.

    Forked, the child inherits ``func`` and its arguments (nothing is pickled on the way in, only the result
    on the way out). With ``enabled=False`` nothing starts and :meth:`result` calls ``func`` in this
    process, so the caller's code is the same either way. An exception in the child is raised by
    :meth:`result`.
    """

    def __init__(self, func: Callable[..., Any], *args, enabled: bool = True, **kwargs):
        self.func, self.args, self.kwargs = func, args, kwargs
        self._proc = self._recv = None
        if enabled:
            ctx = context()
            self._recv, send = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=_child, args=(send, func, args, kwargs), daemon=True)
            with frozen_gc():
                self._proc.start()
            send.close()

    def result(self):
        if self._proc is None:
            return self.func(*self.args, **self.kwargs)
        try:
            ok, value = self._recv.recv()
        except EOFError:
            self._proc.join()
            from analysis.errors import AnalysisError

            raise AnalysisError(f"the child process computing {self.func.__name__} ended with exit code "
                                f"{self._proc.exitcode} (out of memory?) — rerun with --workers 1.") from None
        finally:
            self._recv.close()
        self._proc.join()
        if not ok:
            raise value
        return value
