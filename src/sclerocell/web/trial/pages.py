"""The one shape of a page that runs an action: show the form; on a valid POST run the action.

The action's translated ``ValidationError`` is shown at the fields it names (nothing is written:
the action is one transaction); on success a message is flashed and the user is sent on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from sclerocell.web.trial.forms import apply_errors


def action_form_page[R](
    request: HttpRequest,
    form: Form,
    run: Callable[[Any], R],
    *,
    template: str,
    context: Mapping[str, Any],
    success: str,
    next_url: Callable[[R], str],
) -> HttpResponseBase:
    """Show ``form``; on a valid POST run the action and go to ``next_url(result)``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(
        request,
        template,
        {"form": form, **context},
        status=400 if request.method == "POST" else 200,
    )
