"""Adapters that let other tools use the knowledge base: LangChain (langchain.py)."""
