"""Training briefs: a cited session plan on a topic, and its Markdown and Word files."""
