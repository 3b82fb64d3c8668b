"""Plain SQL for hot paths (the draws of the distribution, their case events), with the ORM's own
conversions of values.

A draw runs a dozen small statements; through the query compiler each costs far more Python than
the database spends on it. Here the statements are built once per process from the models'
metadata, values going in are prepared by the fields (`get_db_prep_save`) and values coming out
are converted by the backend's and the fields' converters, exactly as the ORM does, so rows read
or written here are indistinguishable from rows the ORM reads or writes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]

Converters = list[tuple[list[Converter], Any]]

_converters: dict[tuple[type[models.Model], tuple[str, ...]], Converters] = {}
_inserts: dict[type[models.Model], tuple[str, list[models.Field[Any, Any]]]] = {}


# Names are quoted once per process (one database per process).
@functools.cache
def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def column(model: type[models.Model], attname: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return connection.ops.quote_name(field.column)


@functools.cache
def columns(model: type[models.Model], attnames: Sequence[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + column(model, name) for name in attnames)


@functools.cache
def all_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def for_update(alias: str = "", *, no_key: bool = False) -> str:
    """The locking clause (nothing on SQLite, whose write transaction locks the database).

    `no_key`: FOR NO KEY UPDATE, which still serialises the writers of the row but lets other
    transactions insert rows that refer to it (a document, a party of the case)."""
    if not connection.features.has_select_for_update:
        return ""
    mode = (
        " FOR NO KEY UPDATE" if no_key and connection.features.has_select_for_no_key_update else " FOR UPDATE"
    )
    if alias and connection.features.has_select_for_update_of:
        return f"{mode} OF {alias}"
    return mode


def converters(model: type[models.Model], attnames: Sequence[str]) -> Converters:
    """Per column, the converters the ORM would apply to a value read from this database, with the
    column expression they expect."""
    key = (model, tuple(attnames))
    found = _converters.get(key)
    if found is None:
        found = []
        for name in attnames:
            field = next(f for f in model._meta.concrete_fields if f.attname == name)
            col = field.get_col(model._meta.db_table)
            own = field.get_db_converters(connection)  # type: ignore[attr-defined]
            found.append((connection.ops.get_db_converters(col) + own, col))
        _converters[key] = found
    return found


def convert(row: Sequence[Any], convs: Converters, start: int = 0) -> list[Any]:
    """Converts `len(convs)` values of `row` from `start` on."""
    out: list[Any] = []
    for i, (funcs, col) in enumerate(convs):
        value = row[start + i]
        for func in funcs:
            value = func(value, col, connection)
        out.append(value)
    return out


def instance(model: type[models.Model], attnames: Sequence[str], row: Sequence[Any], start: int = 0) -> Any:
    """A model instance from a row, as a queryset would build it (fields not read are deferred)."""
    values = convert(row, converters(model, attnames), start)
    return model.from_db(connection.alias, list(attnames), values)


def date_param(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def datetime_param(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def insert(obj: models.Model) -> None:
    """INSERT of every column but the primary key, as `save(force_insert=True)`; sets the pk."""
    model = type(obj)
    prepared = _inserts.get(model)
    if prepared is None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        sql = (
            f"INSERT INTO {table(model)} ({', '.join(connection.ops.quote_name(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES ({placeholders(len(fields))}) "
            f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
        )
        prepared = _inserts[model] = (sql, fields)
    sql, fields = prepared
    params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias


# Fields whose Python value is what the database driver takes as it is (no preparation needed).
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.TextField,
    models.ForeignKey,
)


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of `field` is prepared for this database, as `get_db_prep_save` would; None when
    the value goes as it is. Checked per field class, most specific first."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, _PLAIN_FIELDS) and not isinstance(field, models.JSONField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


_bulk: dict[
    tuple[type[models.Model], tuple[str, ...]], tuple[list[Any], list[tuple[int, Callable[[Any], Any]]]]
] = {}


def _preparers(
    model: type[models.Model], attnames: Sequence[str]
) -> tuple[list[Any], list[tuple[int, Callable[[Any], Any]]]]:
    """The fields of `attnames` and, by position, the preparation of those that need one."""
    key = (model, tuple(attnames))
    found = _bulk.get(key)
    if found is None:
        fields = [next(f for f in model._meta.concrete_fields if f.attname == a) for a in attnames]
        special = [(i, p) for i, p in enumerate(_preparer(f) for f in fields) if p is not None]
        found = _bulk[key] = (fields, special)
    return found


def _prepared(row: Sequence[Any], width: int, special: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    if len(row) != width:
        raise ValueError(f"{width} values expected, got {len(row)}")
    values = list(row)
    for i, prepare in special:
        values[i] = prepare(values[i])
    return values


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: str = "",
    chunk: int = 400,
) -> None:
    """INSERTs `rows` (values in the order of `attnames`) with few statements, in the order given.
    `on_conflict`: an ON CONFLICT clause, as written in SQL.

    PostgreSQL gets COPY, or, to resolve conflicts, one statement with one array per column
    (`unnest`); SQLite gets multi-row VALUES of `chunk` rows each.
    """
    if not rows:
        return
    fields, special = _preparers(model, attnames)
    width = len(attnames)
    head = f"INSERT INTO {table(model)} ({columns(model, tuple(attnames))}) "
    tail = f" {on_conflict}" if on_conflict else ""
    values = [_prepared(row, width, special) for row in rows]
    if connection.vendor == "postgresql":
        if tail:
            _insert_arrays(head, tail, fields, values)
        else:
            _copy(model, attnames, values)
        return
    with connection.cursor() as cursor:
        one = f"({placeholders(width)})"
        for start in range(0, len(values), chunk):
            part = values[start : start + chunk]
            cursor.execute(f"{head}VALUES {', '.join([one] * len(part))}{tail}", [v for r in part for v in r])


def _insert_arrays(head: str, tail: str, fields: list[Any], values: list[list[Any]]) -> None:
    """PostgreSQL: one statement, one array parameter per column, bound on the server (the
    connection's client-side binding would inline every value, quoted, into the statement)."""
    import psycopg  # only on PostgreSQL

    connection.ensure_connection()
    arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in fields)
    columns_of = [list(column) for column in zip(*values, strict=True)]
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"{head}SELECT * FROM unnest({arrays}){tail}", columns_of)  # noqa: S608


def _copy(model: type[models.Model], attnames: Sequence[str], values: list[list[Any]]) -> None:
    """PostgreSQL's bulk path: no statement per row; rows take their ids in the order sent."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:  # noqa: SIM117 - the copy needs this cursor
        with cursor.copy(f"COPY {table(model)} ({columns(model, tuple(attnames))}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
