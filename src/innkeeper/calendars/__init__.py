"""iCalendar: the availability feed other sites read, and the stay file guests receive."""
