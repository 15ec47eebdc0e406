"""Tests of /registrations: intakes in the filter, and exports."""
