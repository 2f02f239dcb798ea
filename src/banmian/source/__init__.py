"""Source: what a build reads — content, layouts, fonts, the clock — as typed, immutable values.

Takes: a content YAML file, a layout folder (``layout.yaml`` + templates), the fonts manifest and the
environment's ``SOURCE_DATE_EPOCH``.
Gives: ``Document`` (``load``: the content model with a ``file:line`` for every key), ``Layout``
(``layout``: grid, slots, styles, CMYK palette, press), ``FontSet`` (``fonts``: role → face), and
``World`` (``world``: the fonts, the layouts and the clock a build may see). ``yamlsrc`` is the YAML
reader that keeps positions; ``model`` the pydantic schema of a content file.
"""
