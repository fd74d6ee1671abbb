"""Webhooks for integrators: API clients subscribe to events derived from the change feed and
receive them signed per the Standard Webhooks spec, from an outbox table (`worker.tick`)."""
