"""Every table model, and creating the tables where they are missing (local stack, tests)."""

from __future__ import annotations

from pynamodb.models import Model

from chalicelib.store.applications import Application
from chalicelib.store.audit import AuditEvent
from chalicelib.store.devices import DeviceItem
from chalicelib.store.documents import Document
from chalicelib.store.events import OutboxEvent
from chalicelib.store.forms import FormVersion
from chalicelib.store.messages import Message
from chalicelib.store.programs import Program
from chalicelib.store.registrants import Registrant
from chalicelib.store.sessions import SessionItem
from chalicelib.store.subscriptions import IntegrationItem

# One model per table; ApplicationGuard shares the applications table and is not listed (nor do
# ProgramTemplates and Counter, beside Message, or Contacts, beside Registrant).
TABLE_MODELS: tuple[type[Model], ...] = (
    Registrant,
    Program,
    FormVersion,
    Application,
    Document,
    SessionItem,
    DeviceItem,
    AuditEvent,
    OutboxEvent,
    Message,
    IntegrationItem,
)


def create_missing_tables() -> list[str]:
    """Create each table that does not exist yet (with its indexes and TTL), and each index a
    model has that its existing table lacks (a local stack kept from before the index); return
    the names of the tables created or given an index."""
    created = []
    for model in TABLE_MODELS:
        if not model.exists():
            model.create_table(wait=True)
            created.append(model.Meta.table_name)
        elif add_missing_indexes(model):
            created.append(model.Meta.table_name)
    return created


def add_missing_indexes(model: type[Model]) -> list[str]:
    """Add to the model's existing table each global secondary index it lacks (one per UpdateTable,
    as DynamoDB allows); the names added. Data written before needs its migration
    (``infra/migrations``) to appear in a new index."""
    client = model._get_connection().connection.client
    table = model.Meta.table_name
    existing = {index["IndexName"] for index in client.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])}
    added = []
    for index in model._get_schema()["global_secondary_indexes"]:
        if index["index_name"] in existing:
            continue
        create = {"IndexName": index["index_name"], "KeySchema": list(index["key_schema"]), "Projection": dict(index["projection"])}
        client.update_table(TableName=table, AttributeDefinitions=list(index["attribute_definitions"]), GlobalSecondaryIndexUpdates=[{"Create": create}])
        added.append(index["index_name"])
    return added
