"""banmian (版面): print-ready typesetting of Chinese newspaper pages.

The pipeline, one module per stage:
load (YAML → typed model) → compose (lines, frames, fit) → graphics → render (HTML → WeasyPrint)
→ check (preflight, typography) → export (PDF, plates, previews). ``banmian.cli`` is a thin CLI on top.
"""

__version__ = "0.1.0"
