"""Tests of NIK reading and of masking personal data in logs."""
