"""Models that exist only in the test suite, to prove the access core before business apps."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from klientela.core.access import AccessQuerySet
from klientela.core.customfields.mixins import CustomFieldsMixin
from klientela.core.phones import PhoneFieldsMixin


class Widget(models.Model):
    name = models.CharField("name", max_length=100)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = AccessQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class Gadget(CustomFieldsMixin):
    """A record with custom fields; tests register it as the access entity "gadget"."""

    name = models.CharField("name", max_length=100)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccessQuerySet.as_manager()

    custom_fields_entity = "gadget"

    def __str__(self) -> str:
        return self.name


class GadgetPhone(PhoneFieldsMixin):
    gadget = models.ForeignKey(Gadget, on_delete=models.CASCADE, related_name="phones")

    def __str__(self) -> str:
        return self.raw


class Ticket(models.Model):
    """Stands for records other apps will link to cards (deals, tasks): a merge must move them.

    The foreign key is hidden (related_name "+"), the link to people is many-to-many and the
    subject is a generic foreign key, so each way another app can point at a card is covered.
    """

    title = models.CharField("title", max_length=100)
    organization = models.ForeignKey(
        "customers.Organization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    people = models.ManyToManyField("customers.Person", blank=True, related_name="tickets")
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    def __str__(self) -> str:
        return self.title
