"""Analyst commands: ``charts``, ``export``, ``evidence`` (issue 5).

STUB — owned by the coverage/charts work. ``REGISTER`` lists functions ``register(subparsers)``
that add a sub-command each; cli.py calls them.
"""

from __future__ import annotations

REGISTER: list = []
