"""What a stay costs, and the rules a stay must keep to be booked."""
