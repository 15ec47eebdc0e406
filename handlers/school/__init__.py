"""Sekolah Rakyat for parents: what it is, the questions parents ask, and the consented form to
be contacted. Telegram I/O only: imports `bot/` and `db/`."""
