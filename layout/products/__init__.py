"""What is made from a build: check (findings without PDFs), proof (校样), diff (what changed between
two builds), site (数字报, the digital edition) and watch (rebuild on save, live preview).
"""
