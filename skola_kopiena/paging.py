"""Pages of long lists that cost the same whatever lies beyond the page."""

from django.core.paginator import Paginator


def page_of(queryset, number, per_page):
    """The page `number` of `queryset`, for a list its filters keep to a few thousand rows (a
    semester's plans, the months waiting in a queue): its ids are read in order in one narrow
    query, which also gives the count, and only the page's rows are then read whole, with
    everything the queryset joins and annotates."""
    ids = list(queryset.values_list("pk", flat=True))
    page = Paginator(ids, per_page).get_page(number)
    rows = queryset.order_by().in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list]
    return page
