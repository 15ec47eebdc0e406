"""/broadcast and /broadcasts: composing, targeting, previewing, scheduling and taking back a
broadcast. Telegram I/O only: the engine is `bot/broadcast/`; imports `bot/` and `db/`."""
