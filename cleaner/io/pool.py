"""Chunk a stream of items and map the chunks over worker processes, in order,
with a bounded number in flight (so memory stays flat whatever the input size)."""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Deque, Iterable, Iterator, List, Sequence, TypeVar

from .items import COUNTED, Item

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _size(item: Item) -> int:
    payload = item.payload
    if isinstance(payload, (bytes, str)):
        return len(payload)
    if isinstance(payload, dict):
        return sum(len(v) for v in payload.values() if isinstance(v, (bytes, str)))
    return 64


def chunked(items: Iterable[Item], max_records: int, max_bytes: int) -> Iterator[List[Item]]:
    """Lists of items holding at most ``max_records`` records or about ``max_bytes`` of payload."""
    chunk: List[Item] = []
    records = size = 0
    for item in items:
        chunk.append(item)
        if item.kind in COUNTED:
            records += 1
            size += _size(item)
        if records >= max_records or size >= max_bytes:
            yield chunk
            chunk, records, size = [], 0, 0
    if chunk:
        yield chunk


def ordered_map(fn: Callable[[T], R], tasks: Iterable[T], workers: int,
                initializer: Callable[..., Any], initargs: Sequence[Any], in_flight: int = 0) -> Iterator[R]:
    """``map(fn, tasks)`` over ``workers`` processes, results in task order, at most
    ``in_flight`` tasks submitted and not yet consumed. One worker runs in this process."""
    if workers <= 1:
        initializer(*initargs)
        yield from map(fn, tasks)
        return
    window: Deque[Any] = deque()
    limit = in_flight or 2 * workers
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(os.getpid(), initializer, *initargs)) as pool:
        for task in tasks:
            window.append(pool.submit(fn, task))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int, initializer: Callable[..., Any], *initargs: Any) -> None:
    """Run ``initializer`` in a new worker, and end the worker when ``parent`` is gone.

    A worker waits on the task queue, whose other end its siblings also hold:
    if the parent is killed (``kill -9``, OOM killer), no worker ever sees the
    queue close, and they would wait forever. A watchdog thread ends them.
    """
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True,
                     name="cleaner-parent-watch").start()
    initializer(*initargs)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
