"""Broadcasting to many users: who a broadcast reaches, the worker that copies it through the
outbox under Telegram's limits, taking it back, and what staff are told. Imports `db/`,
`telegram`, bot/'s cross-cutting modules and the registration stages; never `handlers/`."""
