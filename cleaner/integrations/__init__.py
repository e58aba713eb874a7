"""Adapters that run :func:`cleaner.clean_batch` inside other pipelines.

Each submodule imports its library lazily or guards the import, so
``import cleaner`` never needs Ray, datatrove, Scrapy or ``datasets``:

* :mod:`cleaner.integrations.ray` — ``clean_dataset`` for Ray Data, ``run_jsonl`` for the CLI.
* :mod:`cleaner.integrations.datatrove` — ``CleanerStep``, a datatrove pipeline step.
* :mod:`cleaner.integrations.scrapy` — ``CleanerPipeline`` for ``ITEM_PIPELINES``.
* :mod:`cleaner.integrations.hf` — ``clean_columns`` for ``datasets.Dataset.map(batched=True)``.
"""
