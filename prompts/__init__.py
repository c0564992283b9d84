"""Text templates the assistant shows or sends, loaded by name; no logic lives here."""

from functools import cache
from importlib import resources

import yaml


@cache
def load(name: str) -> str:
    """The template `prompts/<name>.txt`, without its trailing newline."""
    return resources.files(__name__).joinpath(f"{name}.txt").read_text("utf-8").rstrip("\n")


@cache
def load_yaml(name: str) -> dict:
    """The YAML templates `prompts/<name>.yaml`."""
    return yaml.safe_load(resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8"))
