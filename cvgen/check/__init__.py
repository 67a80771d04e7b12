"""The CV's files read back as a parser reads them (`pdfread`), and compared with the CV."""
