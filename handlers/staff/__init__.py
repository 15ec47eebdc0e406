"""Running the staff console: adding and removing staff, /reload and /audit. Telegram I/O only:
imports `bot/`, `db/`, and the review and intake screens it reuses."""
