"""Processes: the one place that decides how the package starts them.

Pools fork where the platform can (Linux), so workers inherit the tokenizer, lexicons and tables the
parent has already loaded; elsewhere they are spawned and load what they need once. Results come
back in submission order, so a parallel run builds the same tables as a serial one.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import re
import sys
from contextlib import contextmanager
from pathlib import Path
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


def context(*, fresh: bool = False):
    """The multiprocessing context to start workers with: fork where available, else spawn. ``fresh``: workers
    that start from a new interpreter, not from a copy of this process (forkserver where available, else spawn)."""
    methods = mp.get_all_start_methods()
    if fresh:
        return mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    return mp.get_context("fork" if "fork" in methods else "spawn")


#: The guard a script needs for workers that start from a new interpreter: they import the main module again.
MAIN_GUARD_RE = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.MULTILINE)


def fresh_safe() -> bool:
    """Whether workers may start from a new interpreter: they import ``__main__`` again (as ``__mp_main__``), which
    is harmless when it is a package's ``__main__`` (``python -m analysis``, ``python -m pytest``: never imported
    again), an interactive session or a notebook (no file), or a script whose work sits under an ``if __name__ ==
    "__main__":`` guard. A script without one would run again in every worker, so its pools fork instead."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    if name == "__main__" or name.endswith(".__main__"):
        return True
    path = getattr(main, "__file__", None)
    if path is None:
        return True
    try:
        return MAIN_GUARD_RE.search(Path(path).read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


@contextmanager
def pool(processes: int, *, fresh: bool = False):
    """A ``multiprocessing`` pool of ``processes`` workers (see :func:`context`), forked with the garbage
    collector frozen (:func:`frozen_gc`), closed (terminated) when the block ends.

    ``fresh`` workers start from a new interpreter and import what their jobs need: for jobs whose arguments
    travel pickled anyway, started when this process is large. A forked worker shares the parent's pages until
    it writes to them, and its own allocations fill the free room of the parent's memory arenas, so it copies
    page after page: at 10,000 synthetic documents each comparison worker forked from the 4.7 GB parent held
    about 0.8 GB (0.3 GB at 1,000 documents), for blocks of the same size (issue 18). Where the main module would
    run again in each new interpreter (:func:`fresh_safe`), the workers fork."""
    with frozen_gc():
        workers = context(fresh=fresh and fresh_safe()).Pool(processes)
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
