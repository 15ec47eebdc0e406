"""Registrations as staff review them: the filter built with buttons and the spreadsheet
export. No `telegram` and no database access here."""
