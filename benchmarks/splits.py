"""The fixed tune / check split of every public evaluation set (the one home of it).

Fit and choose on *tune* only; the headline figure of every evaluation script is the *check*
figure, printed beside its baseline on the same part in the same run.

- ECB+ (documents, mentions, the hand-aligned pairs, the quote annotation) is split **by topic**,
  so a check topic's stories, people and events were never seen while tuning. The 22 public topic
  ids were shuffled with ``random.Random(20261204)``; the first 11 are the check part. That seed
  was the first of ten consecutive seeds (from 20261202) whose check part holds 7 of the 14
  hand-aligned pairs (chosen on counts only, before any figure was measured).
- MRPC, NeuS/AllSides and the saved real pages carry no topic that recurs: they are split by a
  stable hash of their own id (pair ``id1``, story ``id``, page file name), half and half.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Part = Literal["tune", "check", "all"]

ECB_CHECK_TOPICS: frozenset[str] = frozenset(
    {"3", "7", "19", "22", "23", "26", "33", "37", "40", "41", "42"}
)
ECB_TUNE_TOPICS: frozenset[str] = frozenset(
    {"2", "4", "6", "9", "16", "20", "25", "28", "31", "32", "44"}
)


def ecb_topic(doc_or_subtopic: str) -> str:
    """The topic id of an ECB+ document id ('3_2ecbplus') or sub-topic ('3_ecb')."""
    return doc_or_subtopic.split("_", 1)[0]


def ecb_part(doc_or_subtopic: str) -> Literal["tune", "check"]:
    """Which part an ECB+ document or sub-topic belongs to."""
    topic = ecb_topic(doc_or_subtopic)
    if topic in ECB_CHECK_TOPICS:
        return "check"
    if topic in ECB_TUNE_TOPICS:
        return "tune"
    raise ValueError(f"ECB+ topic {topic!r} is in neither part of benchmarks/splits.py")


def hashed_part(key: str) -> Literal["tune", "check"]:
    """Half and half by a stable hash of an id (MRPC pairs, NeuS stories, real pages)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return "check" if digest[0] % 2 else "tune"


def in_part(actual: str, wanted: Part) -> bool:
    """Whether an item of part ``actual`` is selected by ``--part wanted``."""
    return wanted == "all" or actual == wanted
