"""Reading and writing files: meeting files (TOML), Markdown drafts and, later, DOCX and more."""
