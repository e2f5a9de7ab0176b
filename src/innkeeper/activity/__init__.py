"""Activity: who changed what, and when, across the host side."""
