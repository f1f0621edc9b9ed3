"""Chinese composition (clreq): a paragraph and an advance function → Lines of Clusters, in em.

classes (character classes, 避头尾), normalize (copy clean-up), prepare (clusters), breaker and setline
(line breaking, justification, push-in/push-out), headline (balanced headline lines). No fonts, no
drawing: the caller gives the advances.
"""
