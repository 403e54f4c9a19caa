from django.urls import path

from . import views

app_name = "meals"
urlpatterns = [
    path("", views.wallet_view, name="wallet"),
    path("ricarica/", views.topup_view, name="topup"),
    path("pasti/", views.meals_view, name="meals"),
    path("pasti/<id:child_id>/<str:day>/", views.meal_change_view, name="meal_change"),
    path("movimenti.<str:fmt>", views.movements_export, name="movements"),  # csv or pdf
    path("dichiarazione/<id:year>/", views.yearly_statement, name="statement"),
]
