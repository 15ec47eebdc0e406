"""How an intake is going: the funnel from stored counts, charts for a phone, and campaign codes,
links and QR codes. No `telegram` and no database access here."""
