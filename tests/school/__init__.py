"""Tests of the Sekolah Rakyat section and its interest form."""
