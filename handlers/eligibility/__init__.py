"""Checking eligibility: the questions (never asked twice) and the verdict in words. Telegram
I/O only: the rules are `bot/forms/eligibility.py`; imports `bot/`, `db/` and the FAQ's answer
screens (a question typed mid-check)."""
