"""The night ledger: which nights of a place are taken, and by whom (stays, blocks, feeds)."""
