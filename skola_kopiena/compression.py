"""Gzip for the portal's own pages, where BREACH cannot reach them.

BREACH guesses a secret in a compressed page from the page's size: the attacker's site makes
the victim's browser ask for the page thousands of times, each time with a guess that the page
echoes (a search), and watches the sizes on the network (the café's Wi-Fi). The portal's pages
hold children's and mentors' data, and some echo what was asked, so:

- only a page that the portal itself asked for is compressed: the browser says so in
  `Sec-Fetch-Site` ("same-origin"; "none" for an address typed or bookmarked). Every request
  that another site starts says "cross-site" and gets its answer uncompressed, as do browsers
  that send no such header: no size for an attacker to measure;
- Django's GZipMiddleware also pads each answer with random bytes (Heal-the-BREACH), and the
  CSRF token in every form is masked afresh in each answer: neither ever repeats;
- only text is compressed (HTML, CSV, JSON): PDFs, images and ZIP files (XLSX, .edoc) are
  compressed already.

Static files never reach this middleware: WhiteNoise, before it, serves them as collectstatic
compressed them (gzip, and brotli: `brotli` is installed with WeasyPrint's fonttools).
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

SAME_SITE_REQUESTS = {"same-origin", "none"}
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class PortalGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        # The answer depends on who asked and what they accept: caches keep them apart.
        patch_vary_headers(response, ("Sec-Fetch-Site", "Accept-Encoding"))
        if request.headers.get("Sec-Fetch-Site") not in SAME_SITE_REQUESTS:
            return response
        return super().process_response(request, response)
