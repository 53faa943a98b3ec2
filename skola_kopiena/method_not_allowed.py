"""A form's address opened by a browser: the portal's page, not Django's empty 405."""

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """The addresses that only take a form's POST (a role switch, an export, a decision) answer
    a GET with 405 and no body. A person gets there by the login's way back after their
    session ended on such a form, or by a bookmark: they are told what happened."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
