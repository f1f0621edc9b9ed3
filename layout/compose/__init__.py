"""Compose: IssueSpec + PageSpec + FontBook → PageFrame (+ findings). Composition never draws.

page: the PageComposer and its dispatch, one module per block kind: story (copy → columns, 转版),
headline (引题/主题/副题), photo (photo + caption), ad (广告), boxes (boxes and rules), furniture
(报眉, 报头, imprint, folio). Beside them: flow (lines → column slots), typeset (clusters → glyph
runs of real faces), vertical (竖排), marks (printer's marks outside the trim).
"""
