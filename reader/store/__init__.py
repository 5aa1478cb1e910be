"""SQLite stores: the parse cache (disposable) and the reading state (the user's own)."""
