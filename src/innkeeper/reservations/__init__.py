"""Reservations: booking, the guest's page, cancellation and reminders."""
