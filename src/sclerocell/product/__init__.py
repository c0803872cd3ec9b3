"""The cell-product chain, functional core: dose escalation, batch release, labels, donors.

Plain Python (no Django). The enrolment and product-chain apps of the web shell call these
functions; every result carries its reason in French and English (:class:`Message`).
"""
