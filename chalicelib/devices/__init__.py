"""Edge agents, capture transactions, capture intake and verification, assisted sessions."""
