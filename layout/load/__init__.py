"""Load: an issue folder → IssueSpec (every node with its file:line), or one InputError.

Input: issue folder (issue.yaml, page YAML, copy, photos, ads) and ../publication.yaml.
Output: IssueSpec (layout.model.spec) in points, with loader findings (warnings).
yamlsafe reads plain YAML with file:line; schema validates against the JSON Schemas; publication,
pages and files turn the checked YAML into specs; issue ties them together (load_issue).
"""
from layout.load.issue import LoadCache, Loader, load_issue

__all__ = ["LoadCache", "Loader", "load_issue"]
