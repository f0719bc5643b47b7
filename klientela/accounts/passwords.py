"""Password strength rule beyond Django's own validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """A password needs at least one letter and one digit or symbol."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(char.isalpha() for char in password)
        has_other = any(not char.isalpha() for char in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("The password must contain letters and at least one digit or symbol."),
                code="password_not_mixed",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain letters and at least one digit or symbol.")
