"""The heading of the signing dialogs (issue 13, point 7): which report, and its findings in the
vocabulary's words."""

from desktop_app.services.certification import ReportHeading


def heading(errors: int, warnings: int) -> ReportHeading:
    return ReportHeading("Region Gotland", 2024, 3, "gotland.pdf", errors, warnings)


def test_the_title_names_region_year_and_version():
    assert heading(0, 0).title == "Region Gotland – SVF-redovisning 2024, version 3"


def test_the_findings_are_counted_in_the_vocabularys_words():
    assert "har 1 fel och 1 varning " in heading(1, 1).findings_text
    assert "har 3 fel och 2 varningar " in heading(3, 2).findings_text
    assert "har 2 varningar " in heading(0, 2).findings_text
    assert "fel" not in heading(0, 2).findings_text.split("(")[0]
    assert heading(0, 0).findings_text.startswith("Kontrollerna hittar inga fel")
