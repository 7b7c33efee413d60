"""Reaching people: notices of every step by e-mail and LINE (Official Account, Messaging API)."""
