"""Intune report export jobs: /deviceManagement/reports/exportJobs (no entity set: routes with handlers, logic in reports.py)."""
from __future__ import annotations

from .. import reports
from ..routing import Route

_JOBS = ("deviceManagement", "reports", "exportJobs")

ROUTES = [
    Route(_JOBS, None, "deviceManagement/reports/exportJobs", ("GET", "POST"), reports.ANY_REPORTS, None, write=reports.ANY_REPORTS,
          handlers={"GET": reports.list_jobs, "POST": reports.create_job}),
    Route(_JOBS + ("{jobId}",), None, "deviceManagement/reports/exportJobs", ("GET", "DELETE"), reports.ANY_REPORTS, None,
          write=reports.ANY_REPORTS, key="jobId", handlers={"GET": reports.get_job, "DELETE": reports.get_job}),
]
