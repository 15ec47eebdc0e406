"""Registering for a programme: consent, the questions, the summary and the code; joining an
open intake; /status. Telegram I/O only: imports `bot/`, `db/` and other handlers' screens."""
