"""The vocabulary every stage shares: plain dataclasses, no behaviour beyond small helpers.

spec (the definitions as loaded: IssueSpec, PageSpec, blocks, styles, grid), frame (PageFrame, the
composed page in points: the IR between compose and render), findings (Finding, Where, InputError)
and units (mm, pt, 号 sizes). Imports nothing else of paiban.
"""
