"""The survey report (调研报告) written from the indicators: a Word document and the same printable page."""
