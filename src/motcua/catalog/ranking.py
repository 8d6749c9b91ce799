"""How a procedure search query is understood and how results are ranked (ADR 0009).

Pure Python, the single source of truth for "does it match, and how well": the database only
narrows the candidates (FTS5 on SQLite, trigram-indexed ``LIKE`` on PostgreSQL) to a superset, and
``rank`` decides on folded text — so both databases return the same results in the same order.
Stored texts are already in ``search_form`` (folded, words separated by single spaces), so ranking
a candidate is a few substring tests.

A query is folded like the texts ("Đăng ký" → "dang ky"). Its words match whole words — Vietnamese
syllables are short, and "tu" must not find "tục" — except the last one, which may be unfinished
("dang ky khai si" finds "khai sinh"). Tiers, best first:

0. the code is the query (``1.001193``);
1. the code starts with the query (``1.0011``; digits alone also match after the dot: ``001193``);
2. the name starts with the query phrase (a leading "Thủ tục", in the name or the query, is
   ignored);
3. the name contains the phrase;
4. the name has every query word;
5. the name, code and field together have every query word;
6. partial: more than half of the query words (2 of 3, 3 of 4 or 5, …). Partial matches are
   looked for only when fewer than ``PARTIAL_WHEN_FEWER`` procedures have every word: they help
   when the words were too many or slightly wrong, and are noise (and cost) otherwise.

Within a text tier, more query words found first, then shorter names (the more specific
procedure; a leading "Thủ tục" not counted), then the code; code tiers are in code order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from itertools import combinations

from motcua.core.text import fold

WORD = re.compile(r"[a-z0-9]+")
CODE_QUERY = re.compile(r"\d+(\.\d*)?")
#: Names often begin with "Thủ tục" ("Thủ tục đăng ký khai sinh"); it says nothing.
_NOISE_PREFIX = "thu tuc "
#: Partial matches are added when fewer full matches than this (a page) are found.
PARTIAL_WHEN_FEWER = 20
#: Up to this many words, partial candidates are fetched as "any allowed combination of words";
#: above, as "any one of the words a match cannot all miss" (pigeonhole), a looser superset.
_MAX_COMBINATION_WORDS = 6


class Tier(IntEnum):
    """Ranking tier of a match (lower is better)."""

    CODE_EXACT = 0
    CODE_PREFIX = 1
    NAME_PREFIX = 2
    NAME_PHRASE = 3
    NAME_ALL_WORDS = 4
    ALL_WORDS = 5
    PARTIAL = 6


@dataclass(frozen=True)
class Query:
    """A parsed query: folded words (the last may be unfinished), or a code prefix."""

    words: tuple[str, ...]
    code: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.words and self.code is None

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def minimum_words(self) -> int:
        """Words a match must contain: more than half of them (all of one or two words)."""
        return len(self.words) // 2 + 1

    @property
    def can_match_partly(self) -> bool:
        return self.minimum_words < len(self.words)

    def is_prefix(self, word: str) -> bool:
        """Whether ``word`` may match the start of a word (only the query's last word)."""
        return word == self.words[-1]

    def word_sets(self, *, partial: bool = False) -> list[tuple[str, ...]]:
        """Alternatives of words that must all be present, covering every full match (or, with
        ``partial``, every partial match too)."""
        if not partial:
            return [self.words]
        if len(self.words) <= _MAX_COMBINATION_WORDS:
            return list(combinations(self.words, self.minimum_words))
        # A match misses at most n - m words, so it has one of any n - m + 1 of them: take the
        # longest (usually the rarest).
        spare = len(self.words) - self.minimum_words + 1
        longest = sorted(self.words, key=len, reverse=True)[:spare]
        return [(word,) for word in longest]


def parse_query(text: str) -> Query:
    """Fold the query (no diacritics, lower case, đ → d); code-like queries search codes."""
    folded = fold(text)
    if CODE_QUERY.fullmatch(folded):
        return Query(words=(), code=folded)
    # Duplicated words add nothing; keep the order for the phrase. A leading "thủ tục" is noise
    # (names often have it, often not): "thủ tục đăng ký khai sinh" = "đăng ký khai sinh".
    words = tuple(dict.fromkeys(WORD.findall(folded)))
    if words[:2] == ("thu", "tuc") and len(words) > 2:
        words = words[2:]
    return Query(words=words)


def search_form(text: str) -> str:
    """The form texts are stored and compared in: folded, words only, single spaces.

    "Đăng ký, quản lý cư trú" → "dang ky quan ly cu tru".
    """
    return " ".join(WORD.findall(fold(text)))


def code_tier(query: Query, code: str) -> Tier | None:
    """Tier of a code match, or None."""
    if query.code is None:
        return None
    if code == query.code:
        return Tier.CODE_EXACT
    if code.startswith(query.code):
        return Tier.CODE_PREFIX
    if "." not in query.code and code.partition(".")[2].startswith(query.code):
        return Tier.CODE_PREFIX
    return None


def _has(query: Query, word: str, spaced: str) -> bool:
    """Whether ``spaced`` (" " + text + " ") has ``word`` as a word (or a word's start)."""
    return (" " + word if query.is_prefix(word) else " " + word + " ") in spaced


def text_tier(query: Query, name: str, search_text: str) -> tuple[Tier, int, int] | None:
    """Tier of a text match, the number of query words found and the name's length, or None.

    ``name`` and ``search_text`` are in ``search_form``.
    """
    if not query.words:
        return None
    # The whole text first: most candidates of a partial search fail here, cheaply.
    spaced_text = " " + search_text + " "
    found = sum(1 for word in query.words if _has(query, word, spaced_text))
    if found < query.minimum_words:
        return None
    count = len(query.words)
    bare = name.removeprefix(_NOISE_PREFIX)
    size = len(bare)
    if found < count:
        return Tier.PARTIAL, found, size
    phrase = query.phrase
    spaced_name = " " + name + " "
    if bare.startswith(phrase) or name.startswith(phrase):
        return Tier.NAME_PREFIX, count, size
    if (" " + phrase) in spaced_name:
        return Tier.NAME_PHRASE, count, size
    if all(_has(query, word, spaced_name) for word in query.words):
        return Tier.NAME_ALL_WORDS, count, size
    return Tier.ALL_WORDS, count, size


def rank(query: Query, code: str, name: str, search_text: str) -> tuple[int, int, int, str] | None:
    """Sort key of a candidate (lower is better), or None when it does not match.

    ``name`` and ``search_text`` are in ``search_form`` (as stored).
    """
    tier = code_tier(query, code)
    if tier is not None:
        return (tier, 0, 0, code)
    matched = text_tier(query, name, search_text)
    if matched is None:
        return None
    text, found, size = matched
    return (text, -found, size, code)


def fts5_expression(query: Query, *, partial: bool = False) -> str:
    """FTS5 MATCH expression whose hits are a superset of the matches."""

    def term(word: str) -> str:
        return f'"{word}"*' if query.is_prefix(word) else f'"{word}"'

    alternatives = [
        " AND ".join(term(word) for word in words) for words in query.word_sets(partial=partial)
    ]
    if len(alternatives) == 1:
        return alternatives[0]
    return " OR ".join(f"({alternative})" for alternative in alternatives)
