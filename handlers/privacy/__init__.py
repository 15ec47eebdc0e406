"""/mydata: seeing, downloading, correcting and deleting one's own data. Telegram I/O only:
imports `bot/`, `db/` and the screens of the features whose data it shows (registration,
Sekolah Rakyat, hand-off)."""
