"""/registrations for staff: filtering and paging, opening one, moving registrations between
stages, and exports. Telegram I/O only: imports `bot/` and `db/`."""
