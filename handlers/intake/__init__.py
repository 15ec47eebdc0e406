"""/intake: staff open, close or plan an intake and set its quota and dates. Telegram I/O only:
the rules are `bot/intake/`; imports `bot/`, `db/`, the programme cards and the intake-opened
news (`handlers/reminders.py`)."""
