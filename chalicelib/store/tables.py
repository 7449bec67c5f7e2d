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
    """Create each table that does not exist yet (with its indexes and TTL); return their names."""
    created = []
    for model in TABLE_MODELS:
        if not model.exists():
            model.create_table(wait=True)
            created.append(model.Meta.table_name)
    return created
