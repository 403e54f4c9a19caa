"""Grant model permissions to staff groups from data migrations (the groups come from accounts 0002)."""


def grant(apps, app_label: str, grants: dict, *, admin_access: tuple = ()) -> None:
    """grants: {group name: [(model, codename), ...]}; groups in admin_access also reach the Wagtail admin."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if admin_access:
        admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
        access, _ = Permission.objects.get_or_create(content_type=admin_type, codename="access_admin",
                                                     defaults={"name": "Can access Wagtail admin"})
        for name in admin_access:
            Group.objects.get_or_create(name=name)[0].permissions.add(access)
    for name, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, codename in perms:
            ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": codename})
            group.permissions.add(perm)
