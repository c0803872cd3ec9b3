"""The criterion language: kinds of criteria, four-valued status with evidence, the one-person
evaluator and the compiler to ibis expressions (see ``docs/adr/0002-criterion-language.md``).

Import from the modules themselves (``criteria.evaluate``, ``criteria.compiler``…): this package
imports nothing, so the one-person path never loads ibis or DuckDB.
"""
