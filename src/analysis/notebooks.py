"""Execute the numbered notebooks in place, reproducibly (no timings, fixed kernel metadata).

Notebooks only call the package and read ``data/processed/``; this runner is what the build uses
so that their committed outputs are byte-identical from one rebuild to the next and nbval passes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from analysis import config
from analysis.errors import NotebookError


def paths(directory: Path | None = None) -> list[Path]:
    """The numbered notebooks (``01-….ipynb``), in order."""
    directory = Path(directory or config.NOTEBOOKS)
    return sorted(p for p in directory.glob("[0-9][0-9]-*.ipynb"))


def _clean(nb) -> None:
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for n, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell["id"] = f"cell-{n:02d}"
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def warm() -> None:
    """Import now, in the calling thread, what starting a kernel imports: nbformat, nbclient and IPython (which
    jupyter_client's kernel specs import at a kernel's start). The build draws its figures while the notebooks
    run in another thread, and matplotlib looks IPython up in ``sys.modules`` as it makes a figure: an import
    of IPython half done in the notebook thread made that look-up fail now and then."""
    import nbformat  # noqa: F401
    import nbclient  # noqa: F401

    try:
        import IPython.paths  # noqa: F401
    except ImportError:  # no IPython: the kernel's start does not import it either
        pass


def _failure(path: Path, nb, exc) -> str:
    """One line for a failed cell: the notebook, the cell's number (as the build numbers cell ids) and the
    error, with what to do."""
    failed = next((n for n, cell in enumerate(nb.cells) if cell.cell_type == "code"
                   and any(out.get("output_type") == "error" for out in cell.get("outputs", []))), None)
    where = f"cell-{failed:02d}" if failed is not None else "a cell"
    evalue = " ".join(str(exc.evalue).split())[:200]
    return (f"notebook {path.name}: {where} raised {exc.ename}: {evalue} — nothing was moved into place; "
            f"build with --no-notebooks to write the tables and figures, and report the notebook's failure")


def execute(path: Path, *, dest: Path | None = None, tables_dir: Path | None = None, timeout: int = 600) -> Path:
    """Run one notebook top to bottom in its own folder and write it, with clean metadata, to ``dest``
    (default: back in place). With ``tables_dir`` the notebook reads its tables from there (the build's
    staged tables) instead of ``data/processed/``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    if tables_dir is not None:
        env[config.TABLES_ENV] = str(Path(tables_dir).resolve())
    # The kernel gets its environment as an argument (nothing global changes, so notebooks can run side by
    # side in threads). The kernel's own stderr (a warning about its local TCP transport) is not the
    # notebook's output; cell errors still arrive through the messaging protocol and stop the run.
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(stderr=subprocess.DEVNULL, env=env)
    except CellExecutionError as exc:
        raise NotebookError(_failure(path, nb, exc)) from None
    _clean(nb)
    dest = Path(dest or path)
    nbformat.write(nb, dest)
    return dest


def execute_many(jobs: list[tuple[Path, Path]], *, tables_dir: Path | None = None, workers: int = 2,
                 done=None) -> list[Path]:
    """Execute ``(notebook, dest)`` pairs, ``workers`` at a time (each runs in its own kernel process), and
    call ``done(path, seconds)`` as each finishes; returns the written paths in the order of ``jobs``."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    def run(job):
        t0 = time.perf_counter()
        out = execute(job[0], dest=job[1], tables_dir=tables_dir)
        if done is not None:
            done(job[0], time.perf_counter() - t0)
        return out

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(run, jobs))


def execute_all(directory: Path | None = None, *, only: list[str] | None = None) -> list[Path]:
    done = []
    for p in paths(directory):
        if only and not any(key in p.name for key in only):
            continue
        done.append(execute(p))
    return done
