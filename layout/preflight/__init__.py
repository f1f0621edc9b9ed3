"""Preflight: any PDF (ours or an advertiser's) → findings about what the press would print.

Input: PDF paths and a PreflightSpec. Output: Findings. check runs the parts: document (PDF/X
identification, OutputIntent, metadata), pages (boxes), content (a walk of what each page paints:
colour spaces, fonts, images, transparency), ink (total area coverage); report writes findings as
text, JSON or JUnit. Knows nothing of composition.
"""
from layout.preflight.check import CODES, PreflightSpec, preflight, preflight_bytes
from layout.preflight.report import report_json, report_junit, report_text

__all__ = ["CODES", "PreflightSpec", "preflight", "preflight_bytes", "report_json", "report_junit", "report_text"]
