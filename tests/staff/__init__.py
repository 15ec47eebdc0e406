"""Tests of staff roles, the guard on every staff button, /reload and /audit."""
