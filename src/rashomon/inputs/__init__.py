"""Raw input -> Article: text, HTML, JSON records, tables, WARC, URLs, feeds."""
