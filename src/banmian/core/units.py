"""Units: the one conversion every stage shares.

Takes: nothing. Gives: ``MM``, PostScript points per millimetre (PDF user space is in points).
"""

MM = 72 / 25.4  # points per millimetre
