"""Append-only tables: history and audit rows are inserted, never changed or removed.

Three layers, so no ordinary path can rewrite the record: the model refuses save() of an
existing row and delete(); the manager's queryset refuses update() and delete(); and a database
trigger refuses UPDATE and DELETE from any client, raw SQL included.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(RuntimeError):
    pass


def _refuse(model: type[models.Model] | None) -> NoReturn:
    name = model._meta.label if model is not None else "this table"
    raise AppendOnlyError(f"{name} is append-only: rows are never changed or removed")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        _refuse(self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse(self.model)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _refuse(self.model)

    def _raw_delete(self, using: Any) -> int:  # the deletion collector's fast path
        _refuse(self.model)


class AppendOnlyModel(models.Model):
    """Base for append-only models; give the table a trigger with `append_only_trigger()`."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse(type(self))


# ---------------------------------------------------------------- database triggers

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION torelik_refuse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END $$;
"""


# Every append-only table; `torelik flush` lifts their triggers on SQLite while it empties the database.
APPEND_ONLY_TABLES = (
    "cases_caseevent",
    "cases_caseoutcome",
    "cases_procedureversion",
    "efiling_submissionstatuschange",
    "kernel_accessaudit",
)


def append_only_sql(vendor: str, table: str) -> list[str]:
    """SQL creating the triggers that refuse every UPDATE and DELETE on `table`."""
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: DELETE refused'); END;",
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION torelik_refuse_append_only();",
        ]
    return []


def drop_append_only_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]
    return []


def append_only_trigger(table: str) -> Any:
    """A migration operation installing the append-only triggers on `table` for this database."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in append_only_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)  # no parameters: "%" in the SQL is literal

    def backward(apps: Any, schema_editor: Any) -> None:
        for sql in drop_append_only_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)

    return migrations.RunPython(forward, backward, elidable=False)
