"""The sandbox: the municipal systems the robots drive, as real Korean web applications.

Each system (resident registry, application intake, local finance, HR and attendance, homepage
CMS, library) is a FastAPI app with its own database, log-in, CSRF tokens, pagination and
dialogs, so that every process can run end to end in a real browser. Nothing here imports the
robots: they reach these systems only through a browser or HTTP, as they would a city hall's.
Each system also serves read-only ground truth under ``/__sandbox/`` for tests, behind a token.
"""
