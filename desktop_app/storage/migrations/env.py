"""Alembic environment: always run programmatically by desktop_app.storage.db.migrate()
with an open connection in config.attributes["connection"]."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
