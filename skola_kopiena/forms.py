from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: at its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(NON_FIELD_ERRORS, error)


def show_refusal(request, error):
    """A service's refusal on a page without a form: each message at the top of the page."""
    for message in error.messages:
        messages.error(request, message)
