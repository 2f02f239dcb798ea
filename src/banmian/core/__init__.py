"""Core: what every stage uses, and nothing that belongs to one stage.

Takes: nothing from the other stages (core imports no banmian package).
Gives: the one diagnostic type (``diagnostics``: severity, ``file:line``, message, hint; ``BuildError``;
``display_path``), atomic writes (``atomic``), units (``units.MM``), and the files the package ships
(``packagedata.package_path``, through ``importlib.resources``).
"""
