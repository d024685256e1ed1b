"""The transformer's outputs for training texts, kept from one training to the next.

When staff add one example question, Rasa runs every training text through the transformer
again: its cache is per component and the training data changed. The transformer's output for a
text depends only on the model's weights and the text's token ids, so it is kept here, in an
SQLite file next to Rasa's own training cache (RASA_CACHE_DIRECTORY, `.rasa/cache`), and only new
texts are run. Rows not used for PRUNE_AFTER_DAYS are deleted, so the file holds about one copy of
the current data. Setting RASA_MAX_CACHE_SIZE=0 (Rasa's switch for its cache) turns this off too.

Anything wrong with the file (locked, corrupt, full disk) only costs time: the texts are run
through the transformer as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np

logger = logging.getLogger(__name__)

FILE_NAME = "lm_features.db"
PRUNE_AFTER_DAYS = 30
SECONDS_PER_DAY = 86_400

Compute = Callable[[np.ndarray, List[List[int]]], np.ndarray]


def cache_file() -> Path | None:
    """Where the features are kept, or None when Rasa's training cache is switched off."""
    from rasa.engine.caching import CACHE_SIZE_ENV, LocalTrainingCache

    if os.environ.get(CACHE_SIZE_ENV, "").strip() in ("0", "0.0"):
        return None
    return LocalTrainingCache._get_cache_location() / FILE_NAME


def weights_identity(model_name: str, weights: str) -> str:
    """Names the weights a feature came from: model, path, and each weight file's size and time."""
    parts = [model_name, str(weights)]
    folder = Path(weights)
    if folder.is_dir():
        for item in sorted(folder.resolve().rglob("*")):
            if item.is_file():
                stat = item.stat()
                parts.append(f"{item.name}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class FeatureCache:
    """Per-text transformer outputs for one set of weights, in one SQLite file."""

    def __init__(self, path: Path, identity: str, clock: Callable[[], float] = time.time) -> None:
        self.identity = identity
        self.clock = clock
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=30)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, length INTEGER, "
                "dim INTEGER, data BLOB, used REAL)"
            )
            self._db.commit()
        except sqlite3.Error as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        logger.warning("The transformer feature cache is not used (%s).", type(error).__name__)
        if self._db is not None:
            self._db.close()
        self._db = None

    def _key(self, token_ids: Sequence[int]) -> str:
        digest = hashlib.sha256(self.identity.encode())
        digest.update(np.asarray(token_ids, dtype=np.int64).tobytes())
        return digest.hexdigest()

    def _load(self, keys: List[str]) -> Dict[str, np.ndarray]:
        if self._db is None or not keys:
            return {}
        try:
            marks = ",".join("?" * len(keys))
            rows = self._db.execute(
                f"SELECT key, length, dim, data FROM features WHERE key IN ({marks})", keys
            ).fetchall()
            self._db.execute(
                f"UPDATE features SET used = ? WHERE key IN ({marks})", [self.clock(), *keys]
            )
            self._db.commit()
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        return {
            key: np.frombuffer(data, dtype=np.float32).reshape(length, dim)
            for key, length, dim, data in rows
        }

    def _store(self, found: Dict[str, np.ndarray]) -> None:
        if self._db is None or not found:
            return
        now = self.clock()
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO features VALUES (?, ?, ?, ?, ?)",
                [
                    (key, array.shape[0], array.shape[1], array.astype(np.float32).tobytes(), now)
                    for key, array in found.items()
                ],
            )
            self._db.commit()
        except sqlite3.Error as error:
            self._give_up(error)

    def sequence_features(
        self, attention_mask: np.ndarray, padded_token_ids: List[List[int]], compute: Compute
    ) -> np.ndarray:
        """What `compute(attention_mask, padded_token_ids)` returns, running only unseen texts.

        Padding positions are zeros; Rasa reads only each text's own tokens."""
        mask = np.asarray(attention_mask)
        lengths = [int(n) for n in mask.sum(axis=1)]
        keys = [self._key(ids[:n]) for ids, n in zip(padded_token_ids, lengths, strict=True)]
        found = self._load(sorted(set(keys)))
        # Each unseen text runs once: Rasa's batches repeat texts, above all the answer of an FAQ
        # topic, which every example question of the topic carries.
        unique: Dict[str, int] = {}
        for row, key in enumerate(keys):
            if key not in found:
                unique.setdefault(key, row)
        self.hits += len(keys) - len(unique)
        self.misses += len(unique)
        if unique:
            rows = list(unique.values())
            width = max(lengths[i] for i in rows)
            computed = compute(
                mask[rows, :width], [list(padded_token_ids[i][:width]) for i in rows]
            )
            new = {keys[i]: np.asarray(computed[j, : lengths[i]]) for j, i in enumerate(rows)}
            self._store(new)
            found.update(new)
        dim = next(iter(found.values())).shape[1]
        result = np.zeros((len(keys), mask.shape[1], dim), dtype=np.float32)
        for row, (key, length) in enumerate(zip(keys, lengths, strict=True)):
            result[row, :length] = found[key]
        return result

    def close(self) -> None:
        """Deletes rows unused for PRUNE_AFTER_DAYS and closes the file."""
        if self._db is None:
            return
        try:
            cutoff = self.clock() - PRUNE_AFTER_DAYS * SECONDS_PER_DAY
            self._db.execute("DELETE FROM features WHERE used < ?", (cutoff,))
            self._db.commit()
        except sqlite3.Error as error:
            logger.warning("Could not prune the feature cache (%s).", type(error).__name__)
        self._db.close()
        self._db = None
