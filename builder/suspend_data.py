"""How long the player's suspend_data can get: the Python twin of templates/player/state.js.

The player stores the learner's state as a bit stream whose field widths follow from the SCO's
structure (the `quizzes` and page count in the player's embedded data), written as base64url. The widths
below mirror state.js rule for rule; the browser tests check that the JavaScript's real string
for a fully answered course is exactly the worst case computed here. Change both together.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping, Sequence

from .questions import QUESTION_TYPES

CODEC_VERSION = 3                    # keeps the last finished attempt for its review
FINGERPRINTED_CODEC_VERSION = 2      # 20-bit fingerprint, no finished attempt kept; still read
LEGACY_CODEC_VERSION = 1             # 12-bit fingerprint, no release layouts; still read
FINGERPRINT_BITS = 20
HEADER_BITS = 4 + FINGERPRINT_BITS   # codec version + layout fingerprint
SCORE_BITS = 7                       # best / last score + 1; 0 = none
SEED_BITS = 16
KEPT_ATTEMPT_BITS = 2                # none, in progress, or the last finished one
UNLIMITED_ATTEMPT_BITS = 8
BITS_PER_CHARACTER = 6               # base64url
MAX_TEXT_BYTES = 48                  # longest typed answer kept verbatim, in UTF-8 bytes


def attempt_bits(attempts: int) -> int:
    return attempts.bit_length() if attempts > 0 else UNLIMITED_ATTEMPT_BITS


def answer_bits(question_type: str, size: int, text_bytes: int) -> int:
    """Bits one answered question takes; `size` = options, pairs, items or scale labels."""
    if question_type not in QUESTION_TYPES:
        raise ValueError(f"unknown question type {question_type!r}")
    answer = QUESTION_TYPES[question_type].answer
    if answer == "one":
        return size.bit_length()
    if answer == "true-false":
        return 2
    if answer == "some":
        return 1 + size
    if answer == "arrangement":
        return 1 + size * (size - 1).bit_length()
    return 2 + text_bytes.bit_length() + 8 * text_bytes if text_bytes > 0 else 2     # typed


def worst_case_bits(page_count: int, quizzes: Sequence[Mapping], text_bytes: int) -> int:
    """Every quiz with an attempt kept (in progress or finished) and every asked question
    answered, the widest questions asked."""
    bits = HEADER_BITS + page_count
    for quiz in quizzes:
        widths = sorted((answer_bits(q["type"], q["size"], text_bytes) for q in quiz["questions"]), reverse=True)
        bits += attempt_bits(quiz["attempts"]) + 2 * SCORE_BITS + KEPT_ATTEMPT_BITS + SEED_BITS
        bits += sum(widths[: quiz["asked"]])
    return bits


def worst_case_length(page_count: int, quizzes: Sequence[Mapping], text_bytes: int) -> int:
    return math.ceil(worst_case_bits(page_count, quizzes, text_bytes) / BITS_PER_CHARACTER)


def text_budget(page_count: int, quizzes: Sequence[Mapping], limit: int) -> int | None:
    """The most bytes of typed answer the state can keep and still fit `limit`; None if nothing fits.

    Typed answers (fill-in, numeric) are kept verbatim only up to this length; beyond it the
    player keeps whether they were right, so a course never fails to save because a learner typed
    a long answer.
    """
    for text_bytes in range(MAX_TEXT_BYTES, -1, -1):
        if worst_case_length(page_count, quizzes, text_bytes) <= limit:
            return text_bytes
    return None


def layout_fingerprint(pages: Sequence[str], quizzes: Sequence[Mapping], text_bytes: int) -> int:
    """20 bits naming one layout of the state: the pages' and questions' ids in stored order, every
    width, and each question's answer key. A release that changes any of these writes another
    fingerprint, by which a later player finds the layout to read the state with (releases.py).
    The rule is part of the stored format: never change it, or add a codec version."""
    shape = {
        "pages": list(pages),
        "textBytes": text_bytes,
        "quizzes": [
            [q["track"], q["attempts"], q["asked"], q["shuffle"],
             [[x["id"], x["type"], x["size"], x["key"]] for x in q["questions"]]]
            for q in quizzes
        ],
    }
    canonical = json.dumps(shape, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return zlib.crc32(canonical) & ((1 << FINGERPRINT_BITS) - 1)


def legacy_fingerprint(page_count: int, quizzes: Sequence[Mapping], text_bytes: int) -> int:
    """The 12 bits codec version 1 wrote: a state from before release layouts is still read when
    its shape is the current one."""
    shape = {
        "pages": page_count,
        "textBytes": text_bytes,
        "quizzes": [
            [q["attempts"], q["asked"], q["shuffle"], [[x["id"], x["type"], x["size"]] for x in q["questions"]]]
            for q in quizzes
        ],
    }
    canonical = json.dumps(shape, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return zlib.crc32(canonical) & 0xFFF
