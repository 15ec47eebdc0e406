"""/mydata: seeing, downloading, correcting and deleting one's own data. Telegram I/O only:
imports `bot/` and `db/`."""
