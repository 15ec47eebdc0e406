"""Tests of the Telegram stand-in and the shell."""
