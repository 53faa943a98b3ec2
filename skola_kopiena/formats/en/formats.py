# English pages keep the Latvian formats: the dates and numbers are Latvian documents.
from skola_kopiena.formats.lv.formats import *  # noqa: F403
