"""The MSC-SSc protocol: every criterion with its stable id, the settings for each open reading,
and the screening entry points (``protocol.screen``, ``protocol.screen_cli``)."""
