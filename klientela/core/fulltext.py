"""Full-text search over records of any entity: one searchable text per record, fast on both DBs.

An entity registers a search document (its model and a function giving one record's text, e.g.
names + emails + tax number). Its services call ``index_record`` after a create or change and
``unindex_record`` before a delete; nothing happens through signals. ``find_ids`` returns the ids
of candidate records, best first. It knows nothing about access: the caller narrows the ids with
the access core, for example::

    ids = find_ids(Organization, query, limit=50)
    visible = Organization.objects.visible_to(user).filter(pk__in=ids)

Text and queries are normalized the same way: lowercase, diacritics removed (ё reads as the
plain Cyrillic e, ł as l, č/š/ž as c/s/z), anything but letters and digits becomes a space.
What both databases guarantee:

- a query word of 3+ characters matches anywhere inside a word ("kolo" finds "Sokolova"):
  on PostgreSQL a GIN index of the entity's content type and the text's trigrams (pg_trgm and
  btree_gin, migration 0004), on SQLite an FTS5 ``trigram`` table;
- a word of 1 or 2 characters matches the start of a word, without an index (scanned);
- several words must all match, in any order.

How PostgreSQL finds them: first in a random sample of about ``SAMPLE_ROWS`` rows (a common
word, "ivan", shows up there at once), then, only when the sample holds too few, through the
index (then the word is rare, and the index lookup cheap). Left to itself the planner guesses how
common a word is in the whole table, not per kind of record, and would read a million people
row by row looking for organizations that hold "ivan". Ranking differs: PostgreSQL orders the
candidates (at most ``RANKED_CANDIDATES``) by trigram word similarity, SQLite by FTS5's bm25.

Measured with bench/customers.py (1.2M entries: a million people, 200,000 organizations;
PostgreSQL 15, 2 cores, shared_buffers 128MB): a name fragment takes 2-30 ms, 50 at worst. On
200,000 entries SQLite 3.40 takes 0.1-40 ms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from .bulk import bulk_insert
from .models import SearchEntry

# Below this a word has no trigram to look up in an index.
TRIGRAM = 3
RANKED_CANDIDATES = 200
# Rows read from a random sample of the table before the index is asked (see _find_postgresql).
SAMPLE_ROWS = 5_000
SAMPLE_PERCENT = (
    "(SELECT least(100, %s * 100.0 / greatest(reltuples, 1))::real FROM pg_class "
    "WHERE oid = %s::regclass)"
)
FTS_TABLE = "core_searchentry_fts"

# Letters that are not a base letter plus a combining mark, so NFKD leaves them alone.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe"}
)


_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalize_text(text: str) -> str:
    """``"Ёлкин, Łukasz Čadež"`` -> ``"елкин lukasz cadez"``."""
    words = []
    for word in (text or "").split():
        if word.isascii():  # most words: the same result without a pass per character
            words.append(_ASCII_SEPARATORS.sub(" ", word.lower()))
        else:
            words.append(_normalize_word(word))
    return " ".join(" ".join(words).split())


@lru_cache(maxsize=50_000)
def _normalize_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_LETTERS))
    return "".join(
        char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char)
    )


@dataclass(frozen=True)
class SearchDocument:
    model: type[models.Model]
    # text(record) -> everything the record should be found by.
    text: Callable[[models.Model], str]


_documents: dict[type[models.Model], SearchDocument] = {}


def register_search_document(
    model: type[models.Model], text: Callable[[models.Model], str]
) -> SearchDocument:
    document = SearchDocument(model, text)
    _documents[model] = document
    return document


def unregister_search_document(model: type[models.Model]) -> None:
    _documents.pop(model, None)


def _document(model: type[models.Model]) -> SearchDocument:
    try:
        return _documents[model._meta.concrete_model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered search document") from None


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def index_record(obj: models.Model) -> SearchEntry:
    """Store (or refresh) the searchable text of ``obj``."""
    text = _document(type(obj)).text(obj) or ""
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=_content_type(type(obj)),
        object_id=obj.pk,
        defaults={"text": text, "normalized": normalize_text(text)},
    )
    return entry


def unindex_record(obj: models.Model) -> None:
    SearchEntry.objects.filter(content_type=_content_type(type(obj)), object_id=obj.pk).delete()


def reindex(
    model: type[models.Model],
    records: Iterable[models.Model] | None = None,
    batch_size=1000,
    *,
    new: bool = False,
) -> int:
    """Rebuild the entries of a model (all its records, or ``records``); for commands and jobs.
    ``new``: the records were just inserted, so they have no entries to replace yet."""
    document = _document(model)
    content_type = _content_type(model)
    full_rebuild = records is None
    if full_rebuild:
        records = model._default_manager.order_by("pk").iterator(chunk_size=batch_size)
    count = 0
    batch: list[SearchEntry] = []

    def flush() -> None:
        with transaction.atomic():
            if not new:
                SearchEntry.objects.filter(
                    content_type=content_type, object_id__in=[entry.object_id for entry in batch]
                ).delete()
            bulk_insert(batch)
        batch.clear()

    for record in records:
        text = document.text(record) or ""
        batch.append(
            SearchEntry(
                content_type=content_type,
                object_id=record.pk,
                text=text,
                normalized=normalize_text(text),
            )
        )
        count += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    if full_rebuild:
        existing = model._default_manager.values("pk")
        SearchEntry.objects.filter(content_type=content_type).exclude(
            object_id__in=existing
        ).delete()
    return count


def find_ids(model: type[models.Model], query: str, limit: int = 20) -> list[int]:
    """Ids of ``model`` records whose text matches every word of ``query``, best first.

    Not filtered by access: intersect with ``Model.objects.visible_to(user)``.
    """
    words = normalize_text(query).split()
    if not words or limit <= 0:
        return []
    content_type = _content_type(model)
    if connection.vendor == "sqlite":
        return _find_sqlite(content_type.pk, words, limit)
    return _find_postgresql(content_type, words, limit)


def _find_postgresql(content_type: ContentType, words: list[str], limit: int) -> list[int]:
    conditions = ["content_type_id = %s"]
    params: list = [content_type.pk]
    long_words = [word for word in words if len(word) >= TRIGRAM]
    for word in words:
        # Normalized words hold only letters and digits: no LIKE wildcards to escape.
        if len(word) >= TRIGRAM:
            conditions.append("normalized LIKE %s")
            params.append(f"%{word}%")
        elif long_words:
            # Checked on the rows the long words find: as an index condition, "a word starts
            # with h" would read the index entries of every such word.
            conditions.append("strpos(' ' || normalized, %s) > 0")
            params.append(f" {word}")
        else:
            conditions.append("(normalized LIKE %s OR normalized LIKE %s)")
            params.extend([f"{word}%", f"% {word}%"])
    where = " AND ".join(conditions)
    wanted = max(RANKED_CANDIDATES, limit) if long_words else limit
    table = SearchEntry._meta.db_table
    # A common word is met at once in a sample of the table; a rare one is looked up in the
    # index, which is then cheap. The planner cannot choose between the two (it guesses how common
    # a word is per table, not per kind of record), so both run, the index lookup only when the
    # sample fell short (UNION ALL reads its parts in order and stops at the LIMIT).
    sql = (
        f"WITH indexed AS MATERIALIZED (SELECT object_id, normalized FROM {table} WHERE {where}) "
        f"SELECT object_id, normalized FROM {table} TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) "
        f"REPEATABLE (0) WHERE {where} "
        "UNION ALL SELECT object_id, normalized FROM indexed LIMIT %s"
    )
    params = [*params, SAMPLE_ROWS, table, *params, wanted]
    if long_words:
        # Scoring every match of a common name costs more than it tells: rank a bounded sample.
        sql = (
            f"SELECT object_id FROM ({sql}) AS candidate "
            "ORDER BY word_similarity(%s, normalized) DESC, object_id"
        )
        params.append(" ".join(words))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [row[0] for row in cursor.fetchall()]
    # The index lookup may meet again what the sample found.
    return list(dict.fromkeys(found))[:limit]


def _find_sqlite(content_type_id: int, words: list[str], limit: int) -> list[int]:
    long_words = [word for word in words if len(word) >= TRIGRAM]
    conditions = ["entry.content_type_id = %s"]
    params: list = [content_type_id]
    for word in words:
        if len(word) < TRIGRAM:
            # Normalized words hold only letters and digits: no LIKE wildcards to escape.
            conditions.append("(entry.normalized LIKE %s OR entry.normalized LIKE %s)")
            params.extend([f"{word}%", f"% {word}%"])
    if long_words:
        # Each word a quoted phrase: the trigram tokenizer finds it anywhere in the text.
        match = " ".join(f'"{word}"' for word in long_words)
        sql = (
            f"SELECT entry.object_id FROM {FTS_TABLE} "
            f"JOIN core_searchentry AS entry ON entry.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {' AND '.join(conditions)} "
            f"ORDER BY {FTS_TABLE}.rank LIMIT %s"
        )
        params = [match, *params]
    else:
        sql = (
            f"SELECT entry.object_id FROM core_searchentry AS entry "
            f"WHERE {' AND '.join(conditions)} LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]
