"""Shared pieces of the Wagtail admin."""

from wagtail.admin.menu import MenuItem

from wagtail_modeladmin.helpers import PermissionHelper


class PermissionMenuItem(MenuItem):
    """A menu item shown to the users holding `perm` (superusers always)."""

    def __init__(self, *args, perm, **kwargs):
        self.perm = perm
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm(self.perm)


class ReadOnlyPermissionHelper(PermissionHelper):
    """Listings nobody creates, edits or deletes from the admin: records written by the application.

    `list_permission` names the permission that opens the listing (superusers always may).
    """

    list_permission = ""

    def user_can_list(self, user):
        return user.is_superuser or bool(self.list_permission and user.has_perm(self.list_permission))

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False
