"""rasd's terminal side: the CLI, the Textual explorer and the Arabic text pipeline."""

__version__ = "0.1.0"
