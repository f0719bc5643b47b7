"""A migration operation that indexes an entity's ``custom`` column on PostgreSQL only."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class AddCustomFieldsIndex(Operation):
    """``CREATE INDEX ... USING gin (custom)`` on PostgreSQL; nothing on other databases.

    The default ``jsonb_ops`` class serves both ``@>`` (equality filters) and ``?`` (has a value).
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field: str = "custom", name: str | None = None):
        self.model_name = model_name
        self.field = field
        self.name = name

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.field != "custom":
            kwargs["field"] = self.field
        if self.name:
            kwargs["name"] = self.name
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _index(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        name = self.name or f"{table}_{self.field}_gin"[:63]
        column = model._meta.get_field(self.field).column
        quote = schema_editor.quote_name
        return quote(name), quote(table), quote(column)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        name, table, column = self._index(app_label, schema_editor, to_state)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column})")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        name, _table, _column = self._index(app_label, schema_editor, from_state)
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def describe(self) -> str:
        return f"Index {self.model_name}.{self.field} with GIN on PostgreSQL"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.field}_gin"
