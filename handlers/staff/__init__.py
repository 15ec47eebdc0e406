"""Running the staff console: adding and removing staff, /reload, /audit and
the unanswered-questions desk (/questions). Telegram I/O only:
imports `bot/`, `db/`, and the review and intake screens it reuses."""
