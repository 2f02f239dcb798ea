"""Source: what a build reads — content, layouts, fonts, the clock — as typed, immutable values.

Takes: a content YAML file, the project folder (its ``layouts/`` and ``fonts/``, before the built-in
layouts and fonts manifest shipped in ``banmian/builtin/``) and the environment's ``SOURCE_DATE_EPOCH``.
Gives: ``Document`` (``load``: the content model with a ``file:line`` for every key), ``Layout``
(``layout``: grid, slots, styles, CMYK palette, press), ``FontSet`` (``fonts``: role → face), and
``World`` (``world``: the fonts, the layouts and the clock a build may see), ``Project`` (``project``:
which folder, and where in it content, layouts, fonts, output and the cache are), and a photo's shape
(``pictures``: its size as seen, from the file's header). ``yamlsrc`` is the YAML reader (YAML 1.2 core
schema, bounded) that keeps positions; ``model`` the pydantic schema of a content file. Content and
layouts are untrusted.
"""
