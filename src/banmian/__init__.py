"""banmian (版面): print-ready typesetting of Chinese newspaper pages.

The pipeline, one package per stage, each importing only from the stages before it:
core → source (content, layouts, fonts, clock) → compose (lines, frames, fit) → graphics (photos for the
press) → render (HTML/CSS → WeasyPrint) → export (the PDF post-pass, plates) → check (preflight, lint)
→ ``pipeline`` (one build) → live (rebuilds, previews, diffs) → cli. ``ingest`` (stories → drafts) stands
beside the pipeline on ``core`` alone.
"""

__version__ = "0.1.0"
