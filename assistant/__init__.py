"""conduct-assistant: cited answers on UK police conduct duties, offline."""
