from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        """Local accounts use the e-mail to sign in; the username is the codice fiscale, as for SPID."""
        if not user.username and getattr(user, "fiscal_code", None):
            user.username = user.fiscal_code
        super().populate_username(request, user)
