"""Host accounts and signing in: what every admin page stands behind."""
