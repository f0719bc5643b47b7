from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/qualify/", views.lead_qualify, name="lead_qualify"),
    path("leads/<int:pk>/disqualify/", views.lead_disqualify, name="lead_disqualify"),
    path("deals/", views.kanban, name="kanban_default"),
    path("deals/pipelines/<int:pk>/", views.kanban, name="kanban"),
    path("deals/pipelines/", views.pipeline_list, name="pipelines"),
    path("deals/pipelines/new/", views.pipeline_edit, name="pipeline_create"),
    path("deals/pipelines/<int:pk>/edit/", views.pipeline_edit, name="pipeline_edit"),
    path("deals/stages/<int:pk>/more/", views.stage_more, name="stage_more"),
    path("deals/list/", views.deal_list, name="deal_list"),
    path("deals/report/", views.sales_report, name="report_default"),
    path("deals/plans/", views.plans, name="plans"),
    path("deals/performance/", views.performance, name="performance"),
    path("deals/plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("deals/pipelines/<int:pk>/report/", views.sales_report, name="report"),
    path("deals/new/", views.deal_create, name="deal_create"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("deals/<int:pk>/move/", views.deal_move, name="deal_move"),
    path("deals/<int:pk>/lines/", views.deal_line_add, name="deal_line_add"),
    path("deals/<int:pk>/discount/", views.deal_discount, name="deal_discount"),
    path("deals/lines/<int:pk>/remove/", views.deal_line_remove, name="deal_line_remove"),
]
