"""Settings: teams, with their head and members."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from klientela.core.cards import CardAction
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.lists import Column, ListDefinition, render_list

from .. import services
from ..forms import (
    TeamForm,
)
from ..models import Team
from .common import admin_required, settings_tabs

TEAMS = ListDefinition(
    key="accounts.teams",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("head", gettext_lazy("Head"), sort=("head__first_name", "head__last_name")),
        Column(
            "members",
            gettext_lazy("Members"),
            sort="member_count",
            numeric=True,
            value=lambda team: team.member_count,
        ),
        Column("description", gettext_lazy("Description")),
        Column("created_at", gettext_lazy("Created"), sort="created_at"),
    ],
    default_columns=["name", "head", "members", "description"],
    search_fields=("name", "description"),
    default_sort="name",
    select_related=("head",),
    empty_title=gettext_lazy("No teams yet"),
    empty_text=gettext_lazy("Teams group users; a role can give access to the records of a team."),
    empty_icon="users",
)


@admin_required
def team_list(request):
    return render_list(
        request,
        TEAMS,
        Team.objects.annotate(member_count=Count("members")),
        title=_("Teams"),
        create_url=reverse("accounts:team_create"),
        create_label=_("New team"),
        extra_context=settings_tabs(request),
    )


@admin_required
def team_create(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.create_team(
                actor=request.user,
                name=data["name"],
                head=data["head"],
                description=data["description"],
                members=list(data["members"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("Team %(name)s created.") % {"name": team}
            return success_redirect(request, reverse("accounts:teams"), message)
    return render_form_page(
        request,
        form,
        title=_("New team"),
        submit_label=_("Create team"),
        cancel_url=reverse("accounts:teams"),
        back_url=reverse("accounts:teams"),
        back_label=_("Teams"),
        **settings_tabs(request),
    )


@admin_required
def team_edit(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    initial = {
        "name": team.name,
        "head": team.head,
        "description": team.description,
        "members": list(team.members.all()),
    }
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_team(
                actor=request.user,
                team=team,
                name=data["name"],
                head=data["head"],
                description=data["description"],
                members=list(data["members"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("Team %(name)s saved.") % {"name": team}
            return success_redirect(request, reverse("accounts:teams"), message)
    delete = CardAction(
        _("Delete"), reverse("accounts:team_delete", args=[pk]), "trash-2", is_dangerous=True
    )
    return render_form_page(
        request,
        form,
        title=_("Team %(name)s") % {"name": team},
        cancel_url=reverse("accounts:teams"),
        back_url=reverse("accounts:teams"),
        back_label=_("Teams"),
        header_actions=[delete],
        history_of=team,
        **settings_tabs(request),
    )


@admin_required
def team_delete(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    if request.method == "POST":
        services.delete_team(actor=request.user, team=team)
        return success_redirect(
            request, reverse("accounts:teams"), _("Team %(name)s deleted.") % {"name": team}
        )
    members = team.members.count()
    consequences = ngettext(
        "Its %(count)d member will stay, without a team.",
        "Its %(count)d members will stay, without a team.",
        members,
    ) % {"count": members}
    return render(
        request,
        "core/components/confirm_delete.html",
        {
            "title": _("Delete team %(name)s") % {"name": team},
            "question": _("Delete the team “%(name)s”?") % {"name": team},
            "consequences": consequences if members else "",
            "cancel_url": reverse("accounts:team_edit", args=[pk]),
            **settings_tabs(request),
        },
    )
