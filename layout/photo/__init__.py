"""Photos and colour: a photo file → a press-ready CMYK (or gray) JPEG, and colour rules for newsprint.

Input: a JPEG/PNG/TIFF (formats: what we accept and how we sniff it), the placed size, the output
profile and ink limit. Output: PreparedImage (cached JPEG path, pixels, effective ppi, findings).
color: ICC profiles (LittleCMS through Pillow), colour parsing, text/rule colour checks, K-only.
"""
