"""The forms people fill in: the one conversation they share (the only part that touches
`telegram`), each form's rules and the eligibility rules with no Telegram, reading typed
answers, and how answers are labelled. Imports `db/` models; never `handlers/`."""
