"""Statistical analysis of the trial, functional core: every endpoint and figure of the report.

Plain Python (no Django). The shell builds an :class:`~sclerocell.analysis.dataset.AnalysisDataset`
from the database; :func:`~sclerocell.analysis.endpoints.analyse` computes every endpoint of the
statistical analysis plan (``docs/analysis-plan.md``) into one
:class:`~sclerocell.analysis.endpoints.AnalysisResults` carrying the snapshot's hash;
:mod:`~sclerocell.analysis.figures` draws the figures (SVG/PNG, French or English).

Modules: ``dataset`` (the input schema, validated), ``snapshot`` (hash), ``settings`` (the plan's
choices), ``safety`` (primary endpoint, AE tables, late tolerance), ``response`` (paired tests,
mixed model, ACR-CRISS), ``survival`` (Kaplan–Meier), ``consort``, ``recruitment``,
``endpoints`` (all of them), ``figures``, ``synthetic`` (a seeded demo dataset).

This package imports nothing heavy itself: import the module you need.
"""
