"""Pages of the customer base: one module per screen (lists, cards, editing, merge, actions)."""
