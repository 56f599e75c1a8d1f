"""report-sections.md routes, at the root as the spec shows them. Each also answers with a
trailing slash (the spec never says which); only the spec's spelling is in the OpenAPI schema."""

from django.urls import path

from reports import api

urlpatterns = [
    path("generate", api.GenerateApi.as_view(), name="report-generate"),
    path("refine", api.RefineApi.as_view(), name="report-refine"),
    path("status/<str:job_id>", api.JobStatusApi.as_view(), name="report-status"),
    path("generate/", api.GenerateApi.as_view(schema=None)),
    path("refine/", api.RefineApi.as_view(schema=None)),
    path("status/<str:job_id>/", api.JobStatusApi.as_view(schema=None)),
]
