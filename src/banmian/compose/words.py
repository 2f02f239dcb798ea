"""Words of Chinese text: where a short text (a headline, a chart label, a line of furniture) may break.

Takes: a text.
Gives: ``inside_words(text)`` — the positions between two characters of one word (北碚|实验|幼儿园: a
break before 实 is between words, before 验 inside one), where a headline breaks only when nothing
else fits.

The segmentation is jieba's dictionary and maximum-probability route (``rjieba``, the Python binding of
jieba-rs: maintained, its dictionary built in, about 0.1 s to load once and microseconds per headline,
deterministic — the same text always gives the same words; the HMM guesser for unknown words is off, so
a name the dictionary lacks falls apart into known words or single characters, never into a guess that
could change between versions of the model). Only runs of Han characters are segmented: Latin words,
numbers and marks are the composer's atoms already.
"""

from __future__ import annotations

import functools
import re

__all__ = ["inside_words"]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]{2,}")


@functools.lru_cache(maxsize=4096)
def inside_words(text: str) -> frozenset[int]:
    """Indices ``i`` such that ``text[i - 1]`` and ``text[i]`` belong to one word."""
    import rjieba

    out: set[int] = set()
    for run in _HAN_RUN.finditer(text):
        at = run.start()
        for word in rjieba.cut(run.group(), hmm=False):
            out.update(range(at + 1, at + len(word)))
            at += len(word)
    return frozenset(out)
