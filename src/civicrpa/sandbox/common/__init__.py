"""What every sandbox system shares: app factory, log-in and sessions, CSRF, faults, forms, banks."""
