"""The documents page: each label opens its own upload."""

import re
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile


def test_each_upload_on_the_documents_page_has_its_own_id(cast, client_for, plan):
    page = client_for(cast.preparer).get(f"/iap/{plan.pk}/dokumenti/").content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\bid="([^"]+)"', page)).items() if n > 1]
    assert not repeated
    inputs = re.findall(r'<input type="file" name="file"[^>]* id="([^"]+)"', page)
    assert len(inputs) == 2
    for input_id in inputs:
        assert f'<label for="{input_id}">' in page


def test_an_upload_refused_is_shown_at_its_own_form(cast, client_for, plan):
    # The error summary links to the scan's input, not to the application's.
    not_a_pdf = SimpleUploadedFile("skenejums.pdf", b"not a pdf", content_type="application/pdf")
    response = client_for(cast.preparer).post(
        f"/iap/{plan.pk}/dokumenti/", {"action": "scan", "file": not_a_pdf}
    )
    assert response.context["scan_form"].errors
    assert 'href="#scan_file"' in response.content.decode()
