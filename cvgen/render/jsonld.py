"""The page's JSON-LD (schema.org `ProfilePage` and `Person`), from the CV as shown.

Plain text only (inline Markdown flattened) and only http(s) links; private fields the
select stage dropped (`ShownCV.resume`) are never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cvgen.render.shown import ShownCV
from cvgen.render.text import plain_text


def _http_url(value: Any) -> str | None:
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # `https://[x`: content may hold any text (a warning said so)
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _organisation(kind: str, name: Any, url: Any) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": kind, "name": plain_text(name)}
    if _http_url(url):
        org["url"] = _http_url(url)
    return org


def person_data(resume: Mapping[str, Any], site_url: str | None) -> dict[str, Any]:
    """schema.org `Person` from JSON Resume data (plain text, only http(s) links)."""
    basics = resume["basics"]
    person: dict[str, Any] = {"@type": "Person"}
    if basics.get("name"):  # the schema does not require one
        person["name"] = plain_text(basics["name"])
    if basics.get("label"):
        person["jobTitle"] = plain_text(basics["label"])
    if basics.get("summary"):
        person["description"] = plain_text(basics["summary"])
    if url := _http_url(basics.get("url")) or site_url:
        person["url"] = url
    if basics.get("email"):
        person["email"] = str(basics["email"])
    location = basics.get("location") or {}
    address = {
        key: str(location[field])
        for key, field in (
            ("addressLocality", "city"),
            ("addressRegion", "region"),
            ("addressCountry", "countryCode"),
        )
        if location.get(field)
    }
    if address:
        person["address"] = {"@type": "PostalAddress", **address}
    same_as = [_http_url(p.get("url")) for p in basics.get("profiles") or []]
    if any(same_as):
        person["sameAs"] = [url for url in same_as if url]
    current = [
        job for job in resume.get("work") or [] if job.get("name") and not job.get("endDate")
    ]
    if current:
        person["worksFor"] = [
            _organisation("Organization", j["name"], j.get("url")) for j in current
        ]
    schools: list[dict[str, Any]] = []
    for school in resume.get("education") or []:
        org = _organisation("EducationalOrganization", school.get("institution"), school.get("url"))
        if school.get("institution") and org not in schools:
            schools.append(org)
    if schools:
        person["alumniOf"] = schools
    skills = [plain_text(s["name"]) for s in resume.get("skills") or [] if s.get("name")]
    if skills:
        person["knowsAbout"] = skills
    languages = [
        plain_text(x["language"]) for x in resume.get("languages") or [] if x.get("language")
    ]
    if languages:
        person["knowsLanguage"] = languages
    return person


def profile_page_data(shown: ShownCV, site_url: str | None) -> dict[str, Any]:
    """The page's JSON-LD: a `ProfilePage` whose `mainEntity` is the person."""
    page: dict[str, Any] = {"@context": "https://schema.org", "@type": "ProfilePage"}
    if site_url:
        page["url"] = site_url
    return {**page, "name": shown.title, "mainEntity": person_data(shown.resume, site_url)}
