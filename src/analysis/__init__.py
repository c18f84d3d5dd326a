"""Compare the civil-affairs (民政) work plans of Chinese local governments.

Stages, each its own module, imports flowing one way::

    config -> corpus -> segment -> tokenization -> domains / quantities -> coverage / compare -> evaluate -> report
                                                                   \\-> pipeline (build) -> cli

Notebooks call these functions and read ``data/processed/``; they never hold pipeline logic.
"""

__version__ = "0.1.0"
