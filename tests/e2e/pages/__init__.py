"""Page objects, one per screen: journeys say what a user does, these know where it is done."""

from .forms import FormPage
from .lists import ColumnsDialog, ListPage
from .login import LoginPage
from .profile import ProfilePage
from .roles import RoleForm, RolesPage
from .shell import Shell
from .teams import TeamForm, TeamsPage
from .users import UserCard, UserForm, UsersPage

__all__ = [
    "ColumnsDialog",
    "FormPage",
    "ListPage",
    "LoginPage",
    "ProfilePage",
    "RoleForm",
    "RolesPage",
    "Shell",
    "TeamForm",
    "TeamsPage",
    "UserCard",
    "UserForm",
    "UsersPage",
]
