"""The host's side: accounts, login and the admin."""
