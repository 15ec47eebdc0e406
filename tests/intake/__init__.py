"""Tests of /intake and the intake date rules."""
