"""Typed questions outside a form: FAQ answers and the screens other features reuse to answer
a question typed mid-form. Telegram I/O only: imports `bot/` and `db/`."""
