"""Render: PageFrame → PDF bytes. The only package that imports reportlab; it never breaks lines.

pdf (page content, PDF/X identification and OutputIntent), pdf_fonts (CID-keyed Type0 subsets),
pdf_images (the prepared JPEGs as image XObjects), pdf_ads (advertisers' pages embedded with pikepdf
after the save), proof_pdf (the RGB proof with highlights).
"""
