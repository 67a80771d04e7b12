"""JSON Resume imported: v0 names renamed once, dates the schema refuses read or kept aside."""

from __future__ import annotations

from cvgen.content.jsondoc import read_json
from cvgen.importer.jsonresume import import_json_resume

TEXT = """{
  "basics": {"name": "Cy", "website": "https://cy.example.com"},
  "work": [
    {"company": "Initech", "startDate": "Sept 2019", "endDate": "至今"},
    {"company": "Hooli", "startDate": "2015-03", "endDate": "Present"},
    {"company": "Acme", "startDate": "", "endDate": ""}
  ],
  "awards": [{"title": "Prize", "date": "2016 ~ 2020"}]
}"""


def test_dates_are_read_or_kept_aside_with_a_located_warning() -> None:
    doc, _ = read_json(TEXT, "resume.json")
    result = import_json_resume(doc)
    work = result.resume["work"]
    assert work[0] == {"name": "Initech", "startDate": "2019-09", "endDateText": "至今"}
    assert work[1] == {
        "name": "Hooli",
        "startDate": "2015-03",
        "endDate": "Present",
    }  # the build reads it
    assert work[2] == {"name": "Acme"}  # empty dates say nothing
    assert result.resume["awards"] == [{"title": "Prize", "dateText": "2016 ~ 2020"}]
    assert [w.describe() for w in result.warnings] == [
        "resume.json:4:65: work[0].endDate: '至今' is not a date cvgen can read; kept as written "
        "in `endDateText` (resume.json); write it as YYYY-MM to show it",
        "resume.json:8:41: awards[0].date: '2016 ~ 2020' is not a date cvgen can read; kept as "
        "written in `dateText` (resume.json); write it as YYYY-MM to show it",
    ]
    assert result.translated == [
        "basics.website -> url",
        "work[].company -> name",
        "work[0].startDate 'Sept 2019' -> 2019-09",
    ]
