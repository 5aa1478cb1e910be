"""Where records come from: local files and folders, and (later) the web."""
