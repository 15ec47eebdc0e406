"""The forms people fill in: the one conversation they share, each form's rules and the
eligibility rules with no Telegram, reading typed answers, and how answers are labelled.
Imports `db/` models and bot/'s cross-cutting modules; never `handlers/`."""
