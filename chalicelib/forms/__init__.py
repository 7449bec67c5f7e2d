"""Form definitions (JSON Schema subset + UI schema), versions, validation and prefill."""
