"""/registrations for staff: filtering and paging, opening one, moving registrations between
stages, and exports. Telegram I/O only: imports `bot/`, `db/`, the stage labels of /status and
the messages the bot sends applicants (`handlers/reminders.py`)."""
