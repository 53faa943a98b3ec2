"""Pages of long lists that cost the same whatever lies beyond the page."""

from django.core.paginator import Paginator


def page_of(queryset, number, per_page):
    """The page `number` of `queryset`: its order and count are worked out on the ids alone
    (narrow rows, which the database sorts quickly), and only the page's rows are then read
    whole, with everything the queryset joins and annotates."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = queryset.order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page
