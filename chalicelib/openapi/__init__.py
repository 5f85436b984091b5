"""The API reference: per-route declarations, per-dialect refusals, the OpenAPI document, /docs."""
