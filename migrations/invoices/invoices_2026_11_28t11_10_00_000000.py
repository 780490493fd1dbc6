"""The date search also matches dates as the dashboard shows them.

The invoices table shows `Dec 6, 2022`; a search for `Dec 6`, `Dec 6, 2022`, `December 2022` or
`dec 2022` should find those invoices. Each calendar day's key now holds, lower case and
separated by U+001F (which no search can contain): the ISO text, the displayed text, the month
written in full, both without the comma, and the month with its year, in both lengths:

    2022-12-06 | dec 6, 2022 | december 6, 2022 | dec 6 2022 | december 6 2022 | dec 2022 | december 2022

`Mon` and `FMMonth` are English whatever the server's locale (only the TM prefix translates).
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T11:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search dates as displayed"

FORWARDS = [
    """
    UPDATE search_days
       SET key = lower(concat_ws(chr(31),
                 to_char(day, 'YYYY-MM-DD'),
                 to_char(day, 'Mon FMDD, YYYY'),
                 to_char(day, 'FMMonth FMDD, YYYY'),
                 to_char(day, 'Mon FMDD YYYY'),
                 to_char(day, 'FMMonth FMDD YYYY'),
                 to_char(day, 'Mon YYYY'),
                 to_char(day, 'FMMonth YYYY')))
    """,
    "ANALYZE search_days",
]


forwards = sql_forwards(ID, "invoices", DESCRIPTION, FORWARDS)
