"""The pure rules: deadlines, working days, the reminder policy, words → status.

No I/O and no imports from the rest of Srok (no SQLAlchemy, Alembic, jinja2 or Telegram):
every function takes what it needs, `now` included, and returns values.
"""
