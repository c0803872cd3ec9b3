"""Adverse events, serious-event reporting clocks, tolerance and the safety stopping rule.

The shell around the pure core of ``sclerocell.clinical.ctcae`` and ``sclerocell.followup``
(``reporting``, ``tolerance``, ``stopping_rule``): see docs/safety.md.
"""
