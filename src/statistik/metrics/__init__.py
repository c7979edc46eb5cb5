"""The numbers behind the dashboard: pure functions from series frames to frames and dataclasses.

Modules, one concept each:

- `frame`: the series frame's columns, checks, period arithmetic and explicit gaps
- `series`: aggregation to month/quarter/year and rolling 12 months (4 quarters)
- `change`: same period last year, year to date, any two periods; absolute and percent change
- `relative`: index (base year = 100) and share of a total
- `poisson`: exact intervals of one count, small-count flags
- `exposure`: inhabitant-days of a period, so unequal periods and a growing population compare fairly
- `dispersion`: normal variation (extra-Poisson dispersion) per series, pooled over similar series
- `significance`: the test of two counts that allows for it
- `expected`: the expected range of a period from the same period in earlier years
- `verdicts`: the one engine that gives every verdict (pages, briefing, `statistik compare`)
- `funnel`: funnel-plot limits for comparing municipalities
- `rates`: rates per 100.000 inhabitants with the population year used
- `district`: the police district as a derived total of its municipalities
- `targets`: targets such as Dragør's "under 30 burglaries a year"

A missing period is never zero: functions that need a period that is not there give <NA>.
"""
