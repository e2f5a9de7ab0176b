"""Other sites' calendars: feeds imported as blocks, and the availability feed we export."""
