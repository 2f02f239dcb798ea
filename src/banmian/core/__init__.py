"""Core: what every stage uses, and nothing that belongs to one stage.

Takes: nothing from the other stages (core imports no banmian package).
Gives: the one diagnostic type (``diagnostics``: severity, ``file:line``, message, hint; ``BuildError``;
``display_path``), atomic writes (``atomic``), and units (``units.MM``).
"""
