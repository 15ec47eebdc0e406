"""Tests of the eligibility check and its rules."""
