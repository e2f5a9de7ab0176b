"""Money owed and paid for a stay: its schedule, recorded payments and refunds, card payments."""
