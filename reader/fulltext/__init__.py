"""Reader mode's core: an article's web page fetched, its main text extracted as Markdown, and
kept, so reading it again is instant and works offline. No Textual here: the UI is in
reader/ui/screens/reader.py."""
