"""Processor time of work spread over processes: this one's own, and what its jobs took elsewhere.

``time.process_time()`` counts only the calling process, so a run whose jobs go to worker
processes would report almost nothing. A job run through :func:`timed` brings back the
processor time it took and the process it ran in; :class:`CpuClock` adds the time of jobs that
ran in other processes to this process's own (a job that ran here is in that already).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import Any


def here() -> tuple[str, int]:
    """This process, as a job reports it: the machine's name and the process id (a cluster's
    worker on another machine may have the same id as this process)."""
    return socket.gethostname(), os.getpid()


def timed(work: Callable[[Any], Any], job: Any) -> tuple[Any, float, tuple[str, int]]:
    """``work(job)``, with the processor time it took and the process it ran in."""
    started = time.process_time()
    result = work(job)
    return result, time.process_time() - started, here()


class CpuClock:
    def __init__(self) -> None:
        self.started = time.process_time()
        self.elsewhere = 0.0

    def add(self, seconds: float, process: tuple[str, int]) -> None:
        if process != here():
            self.elsewhere += seconds

    def seconds(self) -> float:
        return time.process_time() - self.started + self.elsewhere
