"""Property pages: the list, a property's page, its calendar and its quote."""
