from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/<int:pk>/", views.product_edit, name="product_edit"),
    path("products/special-prices/", views.special_price_list, name="special_prices"),
    path("products/special-prices/new/", views.special_price_edit, name="special_price_create"),
    path("products/special-prices/<int:pk>/", views.special_price_edit, name="special_price_edit"),
    path(
        "products/special-prices/<int:pk>/delete/",
        views.special_price_delete,
        name="special_price_delete",
    ),
    path("products/rates/", views.rate_list, name="rates"),
    path("products/rates/new/", views.rate_edit, name="rate_create"),
    path("products/rates/<int:pk>/", views.rate_edit, name="rate_edit"),
    path("products/rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
]
