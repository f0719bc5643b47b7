"""The activity form, the quick plan form of the cards, completing with a follow-up, checklists.

A form shows one "When" for every kind: the start of a call, meeting or email, the due time of a
task. The page shows and hides the fields that belong to one kind only (``KIND_FIELDS``).
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klientela.customers.forms.widgets import RecordPicker
from klientela.customers.models import Organization, Person
from klientela.sales.models import Deal, Stage

from . import bookings, reminders
from .models import Activity, Reminder, Room

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Fields that belong to some kinds only: the page hides them for the others.
KIND_FIELDS = {
    "ends_at": ["call", "meeting"],
    "direction": ["call"],
    "phone": ["call"],
    "place": ["meeting"],
    "room": ["meeting"],
    "contacts": ["call", "meeting", "email"],
}
# What a follow-up looks like when planned from the completion form.
FOLLOW_UP_FIELDS = ("follow_up_kind", "follow_up_subject", "follow_up_at")


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def next_slot(now: datetime.datetime | None = None, *, hours: int = 1) -> datetime.datetime:
    """The start of the next full hour (plus ``hours - 1``) in the active time zone."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=hours)


def field_rules(rules: dict[str, dict]) -> str:
    """The ``data-field-rules`` of a form: which control shows which field (assets/app.js)."""
    return json.dumps(rules)


def kind_rules() -> str:
    return field_rules(
        {name: {"control": "kind", "values": kinds} for name, kinds in KIND_FIELDS.items()}
    )


class ActivityForm(forms.ModelForm):
    when = forms.DateTimeField(
        label=_("When"),
        widget=datetime_input(),
        help_text=_("For a task, when it is due."),
    )
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("Booked for the meeting's time."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "subject",
            "when",
            "ends_at",
            "is_all_day",
            "remind_minutes",
            "priority",
            "responsible",
            "organization",
            "person",
            "deal",
            "direction",
            "phone",
            "place",
            "participants",
            "contacts",
            "description",
            "parent",
        ]
        labels = {"ends_at": _("Until")}
        widgets = {
            "kind": forms.RadioSelect,
            "ends_at": datetime_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "parent": forms.HiddenInput,
            "participants": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("when", instance.starts_at or instance.due_at)
        else:
            self.initial.setdefault("when", next_slot())
            self.initial.setdefault("responsible", user.pk)
        self.fields["kind"].choices = Activity.Kind.choices
        self.fields["remind_minutes"].choices = reminder_choices()
        if not instance.pk:
            self.initial.setdefault("remind_minutes", reminders.default_minutes(user))
        # The quick form of a card posts only what it shows: the rest takes its defaults.
        for name in ("priority", "responsible", "direction"):
            self.fields[name].required = False
        users = get_user_model().objects.filter(is_active=True)
        self.fields["responsible"].queryset = users
        self.fields["participants"].queryset = users
        for name, model, kind in (
            ("organization", Organization, "organization"),
            ("person", Person, "person"),
        ):
            self.fields[name].queryset = model.objects.visible_to(user)
            self.fields[name].widget = RecordPicker(
                kind=kind, selected=getattr(instance, name, None) or self._chosen(name, model)
            )
        deal = instance.deal if instance.deal_id else self._chosen("deal", Deal)
        # The user's open deals to choose from (a base of many deals fits no <select>), and the
        # deal already chosen.
        deals = Deal.objects.visible_to(user).filter(
            Q(responsible=user, stage__kind=Stage.Kind.OPEN) | Q(pk=getattr(deal, "pk", None))
        )
        self.fields["deal"].queryset = deals.order_by("title")
        organization = instance.organization if instance.organization_id else None
        organization = organization or self._chosen("organization", Organization)
        people = Person.objects.visible_to(user)
        if organization is not None:
            people = people.filter(
                Q(memberships__organization=organization) | Q(pk__in=self._contact_ids())
            ).distinct()
            self.fields["contacts"].widget = forms.CheckboxSelectMultiple()
            self.fields["contacts"].queryset = people
            self.fields["contacts"].help_text = _("People of the organization who take part.")
        else:
            # Without an organization there is no short list of people to offer.
            self.fields["contacts"].queryset = people.filter(pk__in=self._contact_ids())
            if not self.fields["contacts"].queryset.exists():
                del self.fields["contacts"]
        self.fields["parent"].queryset = Activity.objects.visible_to(user).filter(
            kind=Activity.Kind.TASK, parent=None
        )
        self._place_room_field(instance)

    def _place_room_field(self, instance) -> None:
        booked = bookings.room_of(instance) if instance.pk else None
        rooms = Room.objects.filter(Q(is_active=True) | Q(pk=getattr(booked, "pk", None)))
        if not rooms.exists():
            del self.fields["room"]
            return
        self.fields["room"].queryset = rooms
        if booked is not None:
            self.initial.setdefault("room", booked.pk)
        # Right after the place, where a meeting's whereabouts are asked.
        names = list(self.fields)
        names.remove("room")
        names.insert(names.index("place") + 1, "room")
        self.fields = {name: self.fields[name] for name in names}

    def _post_clean(self):
        # The service checks the activity as a whole (and the instance must stay as it was, for
        # the audit entry to compare against); its errors come back onto the fields.
        pass

    def _chosen(self, name: str, model):
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        if value in (None, "") or not str(value).isdigit():
            return None
        return model.objects.visible_to(self.user).filter(pk=value).first()

    def _contact_ids(self) -> list[int]:
        if not self.instance.pk:
            return []
        return list(self.instance.contacts.values_list("pk", flat=True))

    def service_fields(self) -> dict:
        """The cleaned values as the services take them."""
        data = dict(self.cleaned_data)
        when = data.pop("when")
        kind = data["kind"]
        data["due_at" if kind == Activity.Kind.TASK else "starts_at"] = when
        data["due_at" if kind != Activity.Kind.TASK else "starts_at"] = None
        data["priority"] = data.get("priority") or Activity.Priority.NORMAL
        data["direction"] = data.get("direction") or Activity.Direction.OUTGOING
        # Every activity has someone responsible: left empty, it stays whose it was (or yours).
        if data.get("responsible") is None:
            data["responsible"] = self.instance.responsible if self.instance.pk else self.user
        if self.is_bound and "remind_minutes" not in self.data:
            # A quick form without the field: the service takes the user's default.
            data.pop("remind_minutes", None)
        data["participants"] = list(data.get("participants") or [])
        if "contacts" in self.fields:
            data["contacts"] = list(data.get("contacts") or [])
        if "room" not in self.fields:
            data.pop("room", None)
        elif kind != Activity.Kind.MEETING:
            data["room"] = None
        return data


def reminder_choices() -> list:
    return [("", _("No reminder")), *Reminder.choices]


class ReminderPreferencesForm(forms.Form):
    remind_minutes = forms.TypedChoiceField(
        label=_("Default reminder"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("New activities get this reminder unless you choose another."),
    )
    email_reminders = forms.BooleanField(label=_("Also send reminders by e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reminders-%s")
        super().__init__(*args, **kwargs)
        self.fields["remind_minutes"].choices = reminder_choices()


class QuickActivityForm(forms.Form):
    """What a card's activity panel asks: the kind, what about, when."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial="call")
    subject = forms.CharField(label=_("Subject"), max_length=300)
    when = forms.DateTimeField(label=_("When"), widget=datetime_input())

    def __init__(self, *args, prefix_id: str = "plan", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("when", next_slot())
        self.fields["kind"].widget = forms.RadioSelect(choices=Activity.Kind.choices)


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was agreed, what happens next."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), min_value=0, max_value=24 * 60, required=False
    )
    time_spent_minutes = forms.IntegerField(
        label=_("Time spent, minutes"),
        min_value=1,
        max_value=24 * 60,
        required=False,
        help_text=_("Logged in your timesheet for today."),
    )
    follow_up = forms.BooleanField(label=_("Plan a follow-up"), required=False)
    follow_up_kind = forms.ChoiceField(
        label=_("Follow-up"), choices=Activity.Kind.choices, required=False
    )
    follow_up_subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    follow_up_at = forms.DateTimeField(label=_("When"), widget=datetime_input(), required=False)

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.initial.setdefault("follow_up_kind", activity.kind)
        self.initial.setdefault("follow_up_subject", activity.subject)
        self.initial.setdefault("follow_up_at", next_slot(hours=24))
        if activity.kind not in (Activity.Kind.CALL, Activity.Kind.MEETING):
            del self.fields["duration_minutes"]

    @property
    def rules(self) -> str:
        return field_rules(
            {name: {"control": "follow_up", "values": ["on"]} for name in FOLLOW_UP_FIELDS}
        )

    def clean(self):
        data = super().clean()
        if data.get("follow_up"):
            for name in FOLLOW_UP_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Fill this in to plan the follow-up."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        minutes = data.get("duration_minutes")
        spent = data.get("time_spent_minutes")
        values = {
            "result": data["result"],
            "duration": datetime.timedelta(minutes=minutes) if minutes is not None else None,
            "follow_up": None,
            "time_spent": datetime.timedelta(minutes=spent) if spent else None,
        }
        if data.get("follow_up"):
            kind = data["follow_up_kind"]
            when = "due_at" if kind == Activity.Kind.TASK else "starts_at"
            values["follow_up"] = {
                "kind": kind,
                "subject": data["follow_up_subject"],
                when: data["follow_up_at"],
            }
        return values


# Service fields shown by one field of the forms.
FORM_ERRORS = {"starts_at": "when", "due_at": "when"}
# The completion form shows the follow-up's errors on its own fields.
FOLLOW_UP_ERRORS = {
    "follow_up_subject": "follow_up_subject",
    "follow_up_starts_at": "follow_up_at",
    "follow_up_due_at": "follow_up_at",
    "follow_up_kind": "follow_up_kind",
}


class ChecklistItemForm(forms.Form):
    text = forms.CharField(label=_("New item"), max_length=300)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "location", "is_active"]

    def _post_clean(self):
        # The service checks the room (and the audit entry compares with the unchanged instance).
        pass
