"""The sections of the ``variants`` suite, one module per variant.

Each module has ``section(ctx) -> str``: the markdown of its part of the
page (a ``## `` heading, its setup, its tables and PASS/FAIL lines).
"""
