"""Querysets of organizations and people: access scoping and the prefetches lists and cards use."""

from __future__ import annotations

from django.db import models

from klientela.core.access import AccessQuerySet

CHANNELS = ("phones", "emails", "messengers", "websites", "addresses")


class CardQuerySet(AccessQuerySet):
    def with_primary_channels(self):
        """Primary phone and email of each row in two queries, whatever the page size.

        Read them with ``record.primary_phone`` / ``record.primary_email``.
        """
        phones = self.model._meta.get_field("phones").related_model
        emails = self.model._meta.get_field("emails").related_model
        return self.prefetch_related(
            models.Prefetch(
                "phones", queryset=phones.objects.filter(is_primary=True), to_attr="_primary_phones"
            ),
            models.Prefetch(
                "emails", queryset=emails.objects.filter(is_primary=True), to_attr="_primary_emails"
            ),
        )

    def with_channels(self):
        """Every channel of each record, for cards and the API."""
        return self.prefetch_related(*CHANNELS)

    def with_tags(self):
        return self.prefetch_related("tags")


class OrganizationQuerySet(CardQuerySet):
    def for_list(self):
        return (
            self.select_related("responsible", "industry", "client_group", "source", "parent")
            .with_primary_channels()
            .prefetch_related("tags", "types")
        )

    def clients(self):
        return self.filter(types__key="client")


class PersonQuerySet(CardQuerySet):
    def for_list(self):
        return (
            self.select_related("responsible", "source")
            .with_primary_channels()
            .prefetch_related("tags", "memberships__organization", "memberships__role")
        )
