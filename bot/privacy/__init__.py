"""Personal data under UU 27/2022: reading an NIK, encrypting it at rest, masking it in logs, and
gathering a person's data for /mydata, and the kinds of chat where it may be shown. No
`telegram` here; `db/` only for the data export."""
