"""Clinical scores and formulas for the MSC-SSc trial — pure Python, no Django.

One small module per instrument, named as a clinician would name it: ``units`` (lab units),
``mrss``, ``classification`` (ACR/EULAR 2013, ARA 1980), ``bsa``, ``renal`` (Cockcroft–Gault),
``pft``, ``criss``, ``eustar``, ``haq`` and ``ctcae``. Sources are cited in each module and
collected in the project's clinical reference (DOMAIN.md). Missing values are ``None``, never NaN.
"""
