"""Reading files into records: formats, encodings, and the title, date and source of an article."""
