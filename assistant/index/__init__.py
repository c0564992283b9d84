"""The index: building it from the knowledge base and keeping it in step with the files."""
