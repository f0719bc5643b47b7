"""SQLite, the embedded default, told to fold case in every alphabet as PostgreSQL does.

SQLite's own ``LIKE`` (which Django's ``iexact``, ``icontains``, ``istartswith`` use there) and
``UPPER`` change only the ASCII letters, so "ромашка" would not find "Ромашка". Each new SQLite
connection gets a ``LIKE`` that ignores case in any alphabet and ``KLIENTELA_UPPER`` (see
``UnicodeUpper``). Neither is used by an index: on SQLite those lookups read the table, as
``LIKE`` did already, only slower: calling Python per row, ``icontains`` over 100,000 names
takes 0.16 s instead of 0.03 s. Large bases belong on PostgreSQL anyway.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Func


class UnicodeUpper(Func):
    """``UPPER(x)``, on SQLite in every alphabet too."""

    function = "UPPER"
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="KLIENTELA_UPPER", **extra_context)


def _upper(value):
    return value.upper() if isinstance(value, str) else value


@lru_cache(maxsize=1024)
def _like_pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts, characters = [], iter(pattern)
    for character in characters:
        if escape and character == escape:
            parts.append(re.escape(next(characters, "")))
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _like(pattern, value, escape=None):
    """``value LIKE pattern [ESCAPE escape]``, ignoring case in any alphabet."""
    if pattern is None or value is None:
        return None
    return _like_pattern(str(pattern), escape).fullmatch(str(value)) is not None


def add_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver."""
    if connection.vendor != "sqlite":
        return
    database = connection.connection
    database.create_function("like", 2, _like, deterministic=True)
    database.create_function("like", 3, _like, deterministic=True)
    database.create_function("KLIENTELA_UPPER", 1, _upper, deterministic=True)
