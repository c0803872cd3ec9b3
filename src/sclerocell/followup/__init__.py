"""Follow-up and safety, functional core: visit calendar, SAE reporting clocks, tolerance
periods and the Bayesian safety stopping rule.

Plain Python (no Django). The follow-up and safety apps of the web shell call these functions;
every result carries its reason in French and English (:class:`Message`).
"""
