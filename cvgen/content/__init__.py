"""Loading and validating the CV: content/cv.yaml (or resume.json) plus content/*.md sections."""
