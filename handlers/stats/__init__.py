"""/stats and /campaigns: the funnel, regencies and days as charts, the FAQ hit rate, and
campaign links with QR codes. Telegram I/O only: the numbers are `bot/stats/`; imports `bot/`
and `db/`."""
