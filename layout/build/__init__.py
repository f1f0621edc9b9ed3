"""Build: an issue folder + BuildOptions → the page PDFs, manifest.json and a BuildReport.

options (BuildOptions, cache folder, FontBook), issue (load → compose → render every page, then write),
workers (pages in parallel processes, yielded in page order), outfiles (pages staged on disk and
renamed together, the output lock), manifest (file names, manifest.json, hot-folder delivery) and memo
(what `paiban watch` keeps between rebuilds).
"""
from layout.build.issue import BuildReport, PageReport, build, compose_issue, selected_pages
from layout.build.manifest import deliver, page_filename, write_manifest
from layout.build.options import BuildOptions, cache_dir, fonts_yaml, open_book

__all__ = ["BuildOptions", "BuildReport", "PageReport", "build", "cache_dir", "compose_issue", "deliver",
           "fonts_yaml", "open_book", "page_filename", "selected_pages", "write_manifest"]
