"""The yearly survey workbook (年度调查表): template, import with preview, export."""
