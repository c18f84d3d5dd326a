"""The report: charts, the workbook, evidence listings and the analyst commands that write them.

Reads the processed tables only (never the raw manifest, never a processing stage's settings); nothing
below the report imports it. Modules: :mod:`~analysis.report.style` (font, reproducible files),
:mod:`~analysis.report.labels` (names), one module per chart family (:mod:`~analysis.report.coverage`,
:mod:`~analysis.report.targets`, :mod:`~analysis.report.leaders`, :mod:`~analysis.report.crossregion`,
:mod:`~analysis.report.profiles`, :mod:`~analysis.report.clusters`, :mod:`~analysis.report.overview`),
the figures registry (:mod:`~analysis.report.catalog`, :mod:`~analysis.report.figures`), the Excel export
(:mod:`~analysis.report.workbook`), :mod:`~analysis.report.evidence` and :mod:`~analysis.report.commands`.

Importing this package imports nothing heavy: ``python -m analysis --help`` stays instant.
"""
