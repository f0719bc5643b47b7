from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from klientela.core.htmx import render_page

from .services import visible_jobs


@login_required
def job_list(request):
    jobs = visible_jobs(request.user)[:50]
    return render_page(request, "jobs/job_list.html", {"jobs": jobs, "title": _("Jobs")})


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return render_page(
        request, "jobs/job_detail.html", {"job": job, "title": str(job)}, partial="status"
    )


@login_required
def job_result(request, pk: int):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    if not job.result:
        raise Http404
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result.name.rsplit("/", 1)[-1]
    )
