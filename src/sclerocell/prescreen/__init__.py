"""Warehouse pre-screening: an OMOP CDM v5.4 warehouse → the fact table → the protocol's criteria
over every person, as of an index date → a funnel, the eligible candidates and a ranked work list
of those who would be eligible if missing data confirm it.

DuckDB on one machine by default; Apache Spark at scale, running the same compiled expressions.
Entry points: :func:`sclerocell.prescreen.run.prescreen`, :func:`sclerocell.prescreen.run.explain`,
:func:`sclerocell.prescreen.synth.generate` (a synthetic warehouse with its ground truth).
"""
