"""`make bench`: the speed of the calendar, the page, a quote and a booking under load."""
