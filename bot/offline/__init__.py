"""The real bot without Telegram: the in-process Bot API stand-in, the drivers that play a user
or a staff member in tests and benchmarks, and `python -m bot shell`. It builds the whole
Application (so, through `bot/application.py`, all of `handlers/`); nothing imports it back."""
