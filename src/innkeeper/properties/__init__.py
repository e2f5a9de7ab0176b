"""Places to rent: what they are, where, and whether guests can see them."""
