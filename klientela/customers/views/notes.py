"""Notes on the cards' timeline: added at its top, edited in place, deleted.

The author or an administrator edits a note: the edit button swaps the note for a form (HTMX),
saving swaps the note back. Without HTMX the same addresses work as a page and redirects.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.core import access
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.htmx import add_toast, wants_partial

from .. import services
from ..forms import NoteForm
from ..forms.actions import note_html
from ..models import Note, Organization, Person
from ..services.notes import can_change_note
from .cards import timeline_context
from .common import ORGANIZATIONS, PEOPLE, Kind, visible_record

TIMELINE = "customers/includes/timeline.html"


class _TypedText(HTMLParser):
    """A note's HTML read back as the text its form takes: **bold**, *italic*, line breaks,
    blank lines between paragraphs, and links as their text."""

    MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        self.parts.append(self.MARKS.get(tag, ""))

    def handle_endtag(self, tag):
        self.parts.append(self.MARKS.get(tag, ""))

    def handle_data(self, data):
        self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "".join(self.parts)).strip()


def editable_text(body: str) -> str:
    """The text to edit a note with: the typed form when saving it again gives the same note,
    else the HTML itself (lists, headings... from the API)."""
    reader = _TypedText()
    reader.feed(body)
    reader.close()
    text = reader.text()
    return text if services.sanitize(note_html(text)) == services.sanitize(body) else body


def _visible_notes(user):
    people = Person.objects.visible_to(user, access.Action.VIEW)
    organizations = Organization.objects.visible_to(user, access.Action.VIEW)
    visible = Q(organization__in=organizations) | Q(person__in=people)
    return Note.objects.filter(visible).select_related("author", "organization", "person")


def _kind_of(record) -> Kind:
    return ORGANIZATIONS if isinstance(record, Organization) else PEOPLE


def _timeline_answer(request, kind: Kind, record, message: str, note_form=None):
    if not wants_partial(request):
        return redirect(record.get_absolute_url())
    context = timeline_context(request, kind, record, note_form)
    response = render(request, TIMELINE, context)
    return add_toast(response, message, "error" if note_form is not None else "success")


def _note_answer(request, note: Note, form: NoteForm | None = None, message: str = ""):
    """One note of the timeline: as it reads, or (with ``form``) as its edit form."""
    partial = "note_form" if form is not None else "note_item"
    if form is not None:
        form.fields["body"].widget.attrs["autofocus"] = True  # htmx focuses it once swapped in
    context = {"note": note, "form": form, "can_change": can_change_note(request.user, note)}
    response = render(request, f"{TIMELINE}#{partial}", context)
    return add_toast(response, message) if message else response


@login_required
@require_POST
def note_add(request, pk: int, kind: Kind):
    record = visible_record(request, kind, pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.add_note(actor=request.user, record=record, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _timeline_answer(request, kind, record, _("Note added."))
    message = " ".join(message for errors in form.errors.values() for message in errors)
    return _timeline_answer(request, kind, record, message, form)


@login_required
def note_detail(request, pk: int):
    """A note as the timeline shows it (what "Cancel" on the edit form swaps back)."""
    note = get_object_or_404(_visible_notes(request.user), pk=pk)
    if not wants_partial(request):
        return redirect(f"{note.record.get_absolute_url()}#note-{note.pk}")
    return _note_answer(request, note)


@login_required
def note_edit(request, pk: int):
    note = get_object_or_404(_visible_notes(request.user), pk=pk)
    if not can_change_note(request.user, note):
        raise PermissionDenied(_("Only the author or an administrator can change a note."))
    if request.method == "POST":
        form = NoteForm(request.POST, prefix="note", auto_id=f"note-{note.pk}-%s")
        if form.is_valid():
            try:
                services.update_note(actor=request.user, note=note, body=form.cleaned_data["body"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if wants_partial(request):
                    return _note_answer(request, note, message=_("Note saved."))
                return success_redirect(request, note.record.get_absolute_url(), _("Note saved."))
    else:
        initial = {"body": editable_text(note.body)}
        form = NoteForm(initial=initial, prefix="note", auto_id=f"note-{note.pk}-%s")
    if wants_partial(request):
        return _note_answer(request, note, form)
    record = note.record
    return render_form_page(
        request,
        form,
        title=_("Edit the note"),
        submit_label=_("Save"),
        cancel_url=record.get_absolute_url(),
        back_url=record.get_absolute_url(),
        back_label=str(record),
    )


@login_required
@require_POST
def note_delete(request, pk: int):
    note = get_object_or_404(_visible_notes(request.user), pk=pk)
    record = note.record
    services.delete_note(actor=request.user, note=note)
    return _timeline_answer(request, _kind_of(record), record, _("Note deleted."))
