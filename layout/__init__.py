"""paiban (排版): newspaper page composer for Chinese print.

Stages: load (YAML → specs) → grid (specs → page plan in pt) → compose (text → lines →
PageFrame) → render (PageFrame → PDF/X) → check (findings).
"""
__version__ = "0.1.0"
