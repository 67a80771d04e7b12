"""cvgen: your CV as YAML and Markdown, published as a tiny static site on your own AWS account."""

__version__ = "0.1.0"
