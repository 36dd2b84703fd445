"""vanthu (văn thư): the records office of a Vietnamese state body, as a tool.

Draft documents from YAML records in the layout of Nghị định 30/2020/NĐ-CP,
render them to DOCX and PDF, number and archive them, and search the archive.
"""

__version__ = "0.1.0"
