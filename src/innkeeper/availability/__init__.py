"""Which nights of a property can be booked, and the month calendar that shows it."""
