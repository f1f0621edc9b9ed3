"""The digital edition (数字报): `paiban site ISSUE_DIR... --out DIR` writes a static website.

build_site(issue_dirs, out, SiteOptions) → SiteReport. See docs/edition.md.
"""
from layout.products.site.build import SiteOptions, SiteReport, build_site, story_outline

__all__ = ["SiteOptions", "SiteReport", "build_site", "story_outline"]
