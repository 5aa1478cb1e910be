"""The Textual UI: renders the core's data and routes the user's keys; no loading logic here."""
