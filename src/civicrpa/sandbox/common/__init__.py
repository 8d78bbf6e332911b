"""What every sandbox system shares, so that the next systems are built on the same base.

- ``systems``: the list of systems, kept once (names, ports, where each is built).
- ``city``, ``population``, ``clock``: the synthetic city (its day, its people) and its clock.
- ``app``, ``sessions``, ``accounts``, ``faults``, ``config``, ``db``: the app factory, log-in,
  sessions and CSRF, accounts, injected faults, settings, each system's own database.
- ``web``, ``listing``, ``forms``, ``files``: rendering, paged lists, posted forms and their
  errors, uploads and .xlsx downloads.
- ``truth``: ground-truth rows as JSON. ``banks``, ``synthetic``: shared data and people.
"""
