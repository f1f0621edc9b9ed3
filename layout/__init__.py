"""paiban (排版): newspaper page composer for Chinese print.

The folders are the stages, each feeding the next with plain dataclasses:

    load ──▶ compose ──▶ render ──▶ build ──▶ products (check, proof, diff, site, watch)
    (YAML)   (PageFrame)  (PDF bytes) (files)

model/ holds the vocabulary all stages share; text/, fonts/, photo/ and preflight/ are libraries the
stages use. tests/test_architecture.py keeps the imports pointing down this list.
"""
__version__ = "0.1.0"
