"""A corpus of official Russian plan layouts built in code, with golden previews.

`documents.DOCUMENTS` lists one builder per document; each writes its file into a
directory and returns the path with what a careful official would say the document
means (`golden.py` holds the shape and the calendar helpers, `builders.py` the file
writers: Word, Excel, OpenDocument and text exports).
"""
