"""coursesmith: build SCORM packages and printable handouts from plain course files."""

__version__ = "0.1.0"
