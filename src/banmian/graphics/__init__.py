"""Graphics: photos as the press needs them.

Takes: the composed pages (each figure's file and frame) and the layout's print condition.
Gives: ``PreparedImage`` — cropped to the frame, separated into the press's CMYK through its profile
(``photos``, ``press``), kept between builds in ``.cache/images`` (``imagecache``); ``press_for`` — the
layout's ``Press`` (profile, intent, ink limit, PDF/X).
"""
