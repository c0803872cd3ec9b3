"""Test-wide settings: hermetic, fast, and never the demo database."""
