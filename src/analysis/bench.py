"""Benchmark: the pipeline against bare ``jieba.lcut`` on synthetic corpora (issue 7).

STUB — owned by the benchmark work. ``register(subparsers)`` adds ``python -m analysis bench``.
"""

from __future__ import annotations


def register(sub) -> None:
    return None
