"""`torelik flush`: Django's flush, which also empties the append-only tables on SQLite.

Emptying the whole database (as the test runner does between tests) is the one operation that
removes history rows. On SQLite the flush is row-by-row DELETE, which the append-only triggers
refuse, so this command drops them for the flush and restores them after, whatever happens.
PostgreSQL's flush is TRUNCATE, which row triggers do not see: nothing to do there.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from torelik.kernel.appendonly import APPEND_ONLY_TABLES, append_only_sql, drop_append_only_sql


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        existing = set(connection.introspection.table_names())
        tables = [t for t in APPEND_ONLY_TABLES if t in existing]
        with connection.cursor() as cursor:
            for table in tables:
                for sql in drop_append_only_sql("sqlite", table):
                    cursor.execute(sql)
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for table in tables:
                    for sql in append_only_sql("sqlite", table):
                        cursor.execute(sql)
