"""cvgen: your CV as YAML and Markdown, published as a tiny static site on your own AWS account."""

__version__ = "0.1.0"

# The name on PyPI (`pipx install cvgen-site`); `cvgen` there is another project. The command
# and this import package are `cvgen`.
DISTRIBUTION = "cvgen-site"
