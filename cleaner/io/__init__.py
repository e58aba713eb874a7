"""Batch input/output for the ``cleaner`` command: readers and writers per format,
the ordered process pool, resume state and the errors file.

Everything here feeds records to :func:`cleaner.clean_batch` and writes what it
returns; nothing here cleans.
"""
from .plan import Plan, build_plan
from .run import RunSummary, run_clean
from .sources import FORMATS, Source, expand_inputs

__all__ = ["FORMATS", "Plan", "RunSummary", "Source", "build_plan", "expand_inputs", "run_clean"]
