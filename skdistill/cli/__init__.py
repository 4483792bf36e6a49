"""The ``skdistill`` command line: demo, fit, compress, evaluate, predict and export.

Each subcommand lives in its own module with ``format_parser(parser)``,
which declares its arguments, and a thin ``main(args)``; the shared work is
in ``_data`` (reading tables, the target and the task), ``_models`` (the
named teachers and students, each with its preprocessing from the public
:mod:`skdistill.preprocessing`), ``_train`` (split, distil, report) and
``_persist`` (skops model files, loading only trusted types); ``_chunks``
(a file read in chunks) and ``_stream`` (``fit --chunksize``: a fitted
teacher distilled over a file bigger than memory).
"""

from ._main import main

__all__ = ["main"]
