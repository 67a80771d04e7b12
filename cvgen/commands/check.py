"""`cvgen check`: build the site in memory and read its PDFs back as an ATS parser would."""

from __future__ import annotations

from pathlib import Path

import click

from cvgen.commands import root_option


@click.command()
@root_option
@click.option("--variant", metavar="NAME", help="Check only this variant's files.")
@click.option("--language", metavar="LANG", help="Check only this language's files.")
def check(root: Path | None, variant: str | None, language: str | None) -> None:
    """Read every PDF and Word file the build makes back with a real extractor (PDFium,
    python-docx) and compare it
    with your CV: name first, contact details whole, each entry's title, organisation and
    dates in order and together, standard headings, nothing lost or doubled, fonts
    embedded. Writes nothing; exits 1 when a parser would read something wrong."""
    from cvgen.build import render_pages
    from cvgen.check.run import ats_findings
    from cvgen.errors import CvgenError
    from cvgen.settings.config import site_root

    site = render_pages(site_root(root), variant=variant, language=language)
    pdfs = [name for name in site.pages if name.endswith((".pdf", ".docx"))]
    findings = ats_findings(site.warnings)
    for issue in findings:
        click.echo(issue.describe("finding"), err=True)
    if findings:
        raise CvgenError(
            f"ATS check: {len(findings)} finding{'s' if len(findings) != 1 else ''} in"
            f" {len(pdfs)} file{'s' if len(pdfs) != 1 else ''}; see above"
        )
    click.echo(f"ATS check: {len(pdfs)} file{'s' if len(pdfs) != 1 else ''} read back clean")
