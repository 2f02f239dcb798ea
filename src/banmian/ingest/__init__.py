"""Ingest: stories as editors have them → draft content files.

Takes: ``.docx``, ``.txt`` or ``.md`` files (untrusted), or a name for a starter.
Gives: ``Draft`` values (``importer``, ``docx``), their YAML text with ``# TODO`` notes (``draft``), and
empty commented starters (``starter``).
"""
