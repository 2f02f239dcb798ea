"""Graphics: photos as the press needs them.

Takes: the composed pages (each figure's file and frame), the editor's framing of each photo (crop,
focus, fit) and the layout's print condition.
Gives: ``PreparedImage`` — decoded upright in any accepted format (``decode``), cut to the frame
(``framing``: the editor's crop or focus, else the most detailed part), separated into the press's
CMYK through its profile with transparency on the paper colour (``press``) and within its total ink
limit (``inklimit``), as JPEG (``photos``), kept between builds in ``.cache/images`` (``imagecache``);
``press_for`` — the layout's ``Press`` (profile, intent, ink limit, paper colour, PDF/X).
"""
