"""Programme intakes: the rules for what staff may set (dates, quotas) with no I/O, and applying
the catalogue file, staff's settings and the registration dates in the database. No `telegram`."""
