"""Plain SQL for the hot path of a draw, with the ORM's own conversions of values.

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


def for_update(alias: str = "") -> str:
    """The locking clause (nothing on SQLite, whose write transaction locks the database)."""
    if not connection.features.has_select_for_update:
        return ""
    if alias and connection.features.has_select_for_update_of:
        return f" FOR UPDATE OF {alias}"
    return " FOR UPDATE"


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
