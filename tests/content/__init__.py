"""Tests of the staff-edited content files and `python -m bot check`."""
