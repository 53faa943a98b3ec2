"""Latvian sort order for names: Ā with A, Č after C, Š after S (as ICU's `lv-x-icu`).

PostgreSQL sorts with the ICU collation; SQLite (the quick start) gets a collation of the
same name registered on each connection, so `latvian("last_name")` works on both.
"""

from django.db.models.functions import Collate

PG_COLLATION = "lv-x-icu"
SQLITE_COLLATION = "lv"

# Long vowels sort with their short vowel; the softened consonants are letters of their own;
# q, w, x and y (in foreign names) where the Latin alphabet has them.
ALPHABET = "aābcčdeēfgģhiījkķlļmnņopqrsštuūvwxyzž"
# Spaces, punctuation and digits sort before every letter, as in ICU.
LETTERS_FROM = 1000
SAME_AS = {"ā": "a", "ē": "e", "ī": "i", "ū": "u"}


def sort_key(text):
    primary, secondary = [], []
    for char in (text or "").casefold():
        base = SAME_AS.get(char, char)
        index = ALPHABET.find(base)
        primary.append(LETTERS_FROM + index if index >= 0 else ord(base))
        secondary.append(1 if char in SAME_AS else 0)
    return primary, secondary


def _sqlite_compare(left, right):
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)


def latvian(field_name):
    """An order_by() expression that sorts `field_name` the Latvian way on either database."""
    from django.db import connection

    name = PG_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(field_name, name)
