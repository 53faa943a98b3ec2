import datetime
import io

from pypdf import PdfReader

T = datetime.time
D = datetime.date


def _text(response):
    """The PDF's text with line breaks folded, as cells wrap long topics."""
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_the_timesheet_is_printed_from_the_diary_for_the_whole_semester(
    cast, client_for, active_plan, meet
):
    # TS-1, TS-2, TS-4: held meetings pre-filled (date, hours, topic), blank rows for the
    # planned ones, signature columns, and the box for the provider's evaluation.
    meet(
        active_plan, D(2026, 11, 25), T(7, 0), T(9, 0), topic="Iepazīšanās ar ģimeni", result="Labi"
    )
    meet(active_plan, D(2026, 12, 9), T(15, 0), T(16, 20), topic="Muzeja apmeklējums")
    response = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/grafiks.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert "Kārlis Bērziņš" in text and "Anna Bērziņa" in text
    assert "25.11.2026" in text and "Iepazīšanās ar ģimeni" in text
    assert "09.12.2026" not in text and "Muzeja apmeklējums" not in text  # still planned
    assert "18.12.2026" in text  # the plan's period runs to the end of the semester
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width) * 25.4 / 72) == 210


def test_a_lost_timesheet_is_printed_again_with_the_same_rows(cast, client_for, active_plan, meet):
    # TS-3, TS-4
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(9, 0), topic="Pastaiga", result="Labi")
    client = client_for(cast.mentor_user)
    first = _text(client.get(f"/dienasgramata/{active_plan.pk}/grafiks.pdf"))
    again = _text(client.get(f"/dienasgramata/{active_plan.pk}/grafiks.pdf"))
    strip = lambda text: text.split("Izdrukāts")[0].split("Printed")[0]  # noqa: E731
    assert strip(first) == strip(again)


def test_the_preparer_prints_the_blank_form_with_the_plans_header(
    cast, client_for, active_plan, meet
):
    # TS-5: the preparer keeps the signed sheets; DIA-6: the portal gives them no diary
    # content, so their timesheet is the blank form with the plan's header.
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(9, 0), topic="Pastaiga", result="Labi")
    response = client_for(cast.preparer).get(f"/dienasgramata/{active_plan.pk}/grafiks.pdf")
    assert response.status_code == 200
    text = _text(response)
    assert active_plan.learner.full_name in text and str(cast.mentor) in text
    assert "Pastaiga" not in text
