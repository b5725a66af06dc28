"""Storage: SQLAlchemy tables, engine set-up, migrations and the SQL repository. No rules here."""
