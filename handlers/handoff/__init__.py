"""Talking to a person: the user's side, the staff group's side, and edits passed on both ways.
Telegram I/O only: imports `bot/`, `db/` and the FAQ's answer screens."""
