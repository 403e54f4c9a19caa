from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import StaffCreationForm, StaffEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm
