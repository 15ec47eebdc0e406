"""Tests of /stats, the funnel and campaigns."""
