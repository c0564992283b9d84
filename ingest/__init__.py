"""Turn source files into structured documents and embeddable passages."""
