"""Results remembered by their exact inputs, for a process that loads the same course again and
again (`coursesmith preview`): after one edit, every other file's text is unchanged, and parsing
YAML (ruamel's pure-Python parser) and rendering Markdown are most of a load's time.

A memo hands out copies, so a caller that changes a result cannot change the remembered one.
Errors are never remembered (they are raised, not returned). Only what depends on nothing but
its key may be remembered; `clear()` when something outside the key changed (preview.py clears
the Markdown memo when a file other than a page or YAML file changes: pages check their links).
"""

from __future__ import annotations

import copy
import threading
from typing import Any


class Memo:
    def __init__(self, size: int = 4096):
        self.size, self.results, self.lock = size, {}, threading.Lock()

    def get(self, key) -> Any | None:
        with self.lock:
            result = self.results.get(key)
        return copy.deepcopy(result) if result is not None else None

    def put(self, key, result) -> None:
        with self.lock:
            if len(self.results) >= self.size:
                self.results.pop(next(iter(self.results)))
            self.results[key] = copy.deepcopy(result)

    def clear(self) -> None:
        with self.lock:
            self.results.clear()
