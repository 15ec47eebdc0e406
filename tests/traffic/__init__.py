"""Tests of the update processor (per-chat order, concurrency) and flood control."""
