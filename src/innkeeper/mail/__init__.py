"""Outgoing mail: written to an outbox with the change it reports, sent by the worker."""
